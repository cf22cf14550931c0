package io.kpsim.scenario;

import io.kpsim.fault.UserFault;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Everything wrong with a scenario and its overrides, all at once, so a user fixes the file in one
 * pass instead of one error per run. {@link #getMessage()} is the list of {@link Problem} lines
 * (one per line, in position order), ready to print without a stack trace. A {@link UserFault}:
 * the CLI exits 2.
 */
public final class ScenarioException extends UserFault {

    private static final long serialVersionUID = 1L;

    private final transient List<Problem> problems;

    /** @param problems at least one problem, already in report order */
    public ScenarioException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ScenarioException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    /** The problems in report order (see {@link Problem#BY_POSITION}). */
    public List<Problem> getProblems() {
        return problems;
    }
}
