package io.kpsim.scenario;

import java.io.StringReader;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * YAML text to a SnakeYAML node tree (what {@code Yaml.compose} does: no object construction,
 * every node keeps its start mark), with syntax errors turned into positioned {@link Problem}s.
 * Aliases are capped so a "billion laughs" document cannot exhaust memory. The composer is built
 * directly rather than through {@code Yaml}, whose constructor and representer this never uses
 * and whose set-up loads {@code java.util.logging}, {@code java.sql} and {@code java.time} at
 * every start (see {@code src/docs/benchmarks.md}, section 7).
 */
final class YamlText {

    private YamlText() {}

    /**
     * Composes {@code text} (a single document). Returns {@code null} for an empty document or
     * after reporting a syntax error (through {@code onError}).
     */
    static Node compose(String text, SyntaxErrors onError) {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(50);
        options.setAllowRecursiveKeys(false);
        options.setProcessComments(false);
        options.setCodePointLimit(ScenarioLoader.MAX_BYTES);
        try {
            return new Composer(
                            new ParserImpl(new StreamReader(new StringReader(text)), options), new Resolver(), options)
                    .getSingleNode();
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            onError.syntax(mark, describe(e));
            return null;
        } catch (YAMLException e) {
            onError.syntax(null, "invalid YAML: " + e.getMessage());
            return null;
        }
    }

    private static String describe(MarkedYAMLException e) {
        String problem = e.getProblem() == null ? "syntax error" : e.getProblem();
        StringBuilder sb = new StringBuilder("invalid YAML: ");
        if (problem.startsWith("but ") && e.getContext() != null) {
            // SnakeYAML splits "expected X but found Y" across context and problem.
            return sb.append(e.getContext()).append(' ').append(problem).toString();
        }
        sb.append(problem);
        if (e.getContext() != null) {
            sb.append(" (").append(e.getContext());
            Mark context = e.getContextMark();
            if (context != null
                    && e.getProblemMark() != null
                    && context.getLine() != e.getProblemMark().getLine()) {
                sb.append(" started at line ").append(context.getLine() + 1);
            }
            sb.append(')');
        }
        if (problem.contains("chomping") || problem.contains("indentation indicator")) {
            sb.append(" (a condition starting with '>' must be quoted, e.g. resets: \">= 1\")");
        }
        return sb.toString();
    }

    /** Receives a syntax error; {@code mark} is {@code null} when SnakeYAML gives no position. */
    @FunctionalInterface
    interface SyntaxErrors {
        void syntax(Mark mark, String message);
    }
}
