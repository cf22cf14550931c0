package io.kpsim.scenario;

import java.util.Objects;

/**
 * A loaded, validated scenario: the whole {@code kind: Scenario} document after {@code --set}
 * overrides. Produced only by {@link ScenarioLoader}, so every cross-reference in {@link #spec()}
 * resolves and every value is in range.
 *
 * @param source the file name as the user gave it (used in messages)
 * @param metadata {@code metadata:}
 * @param spec {@code spec:}
 */
public record Scenario(String source, Metadata metadata, ScenarioSpec spec) {

    /** Null checks only; validation is {@link ScenarioLoader}'s job. */
    public Scenario {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(spec, "spec");
    }
}
