package io.kpsim.scenario;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Loads a scenario: reads the YAML file, applies {@code --set} overrides to its node tree, binds
 * and validates it into a {@link Scenario}. Every problem in the file and the overrides is
 * reported at once in a {@link ScenarioException}, each as {@code FILE:LINE:COLUMN: message}.
 *
 * <pre>{@code
 * Scenario s = ScenarioLoader.load(Path.of("scenarios/blog-reset.yaml"),
 *         List.of("spec.kernel=6.18", "spec.kubeProxy.dropInvalid=true"));
 * }</pre>
 */
public final class ScenarioLoader {

    /**
     * The largest scenario read, in bytes (and in characters for {@link #parse}): 1 MiB, hundreds of
     * times the library's files and room for thousands of pods. A larger file is refused before a
     * byte of it is parsed, so a huge or runaway input costs no time and no memory.
     */
    public static final int MAX_BYTES = 1 << 20;

    private ScenarioLoader() {}

    /**
     * Loads {@code file} with {@code overrides} ({@code key.path=value}, applied in order).
     *
     * @throws ScenarioException listing every problem found
     */
    public static Scenario load(Path file, List<String> overrides) throws ScenarioException {
        String source = file.toString();
        if (Files.isDirectory(file)) {
            throw single(source, "is a directory (expected a scenario YAML file, e.g. " + source + "/blog-reset.yaml)");
        }
        String text;
        try {
            text = readBounded(file, source);
        } catch (NoSuchFileException e) {
            throw single(source, "no such file");
        } catch (AccessDeniedException e) {
            throw single(source, "permission denied");
        } catch (CharacterCodingException e) {
            throw single(source, "not UTF-8 text (expected a YAML file)");
        } catch (IOException e) {
            throw single(
                    source,
                    "cannot be read: " + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
        return parse(text, source, overrides);
    }

    /**
     * Loads a scenario from {@code text}; {@code source} names it in messages.
     *
     * @throws ScenarioException listing every problem found
     */
    public static Scenario parse(String text, String source, List<String> overrides) throws ScenarioException {
        if (text.length() > MAX_BYTES) {
            throw tooLarge(source, text.length() + " characters");
        }
        Diagnostics diagnostics = new Diagnostics(source);
        Node root = YamlText.compose(text, diagnostics);
        if (diagnostics.hasErrors()) {
            throw new ScenarioException(diagnostics.sorted());
        }
        if (root == null) {
            throw single(
                    source,
                    "the file is empty (expected a scenario with apiVersion: " + DocumentBinder.API_VERSION + ", kind: "
                            + DocumentBinder.KIND + ", metadata and spec)");
        }
        Overrides.apply(root, overrides, diagnostics);
        Scenario scenario = new DocumentBinder(diagnostics).bind(root);
        if (diagnostics.hasErrors() || scenario == null) {
            throw new ScenarioException(diagnostics.sorted());
        }
        return scenario;
    }

    /**
     * The file as UTF-8 text, refusing it unread when its size says it is over {@link #MAX_BYTES},
     * and reading at most one byte more than that from anything whose size is not known in advance
     * (a pipe, {@code /dev/stdin}), so no input can make the loader read without bound.
     */
    private static String readBounded(Path file, String source) throws IOException, ScenarioException {
        if (Files.isRegularFile(file) && Files.size(file) > MAX_BYTES) {
            throw tooLarge(source, Files.size(file) + " bytes");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        }
        if (bytes.length > MAX_BYTES) {
            throw tooLarge(source, "more than " + MAX_BYTES + " bytes");
        }
        return StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
    }

    private static ScenarioException tooLarge(String source, String size) {
        return single(
                source,
                "is too large: " + size + " (expected a scenario of at most " + Sizes.format(MAX_BYTES)
                        + "; kpsim refuses larger files without reading them)");
    }

    private static ScenarioException single(String source, String message) {
        return new ScenarioException(List.of(new Problem(source, 0, 0, message)));
    }
}
