package io.kpsim.report.html;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The page's stylesheets and script, kept as files under {@code src/main/resources} (readable,
 * editable and linted as what they are) and inlined into each page when it is written.
 */
public final class Resources {

    /** The figures' stylesheet: shared by the page and the standalone SVG files. */
    public static final String FIGURES_CSS = "figures.css";
    /** The page's stylesheet, screen and print. */
    public static final String PAGE_CSS = "page.css";
    /** The page's script: packet panel, clicking and keyboard step-through. */
    public static final String PAGE_JS = "page.js";

    private Resources() {}

    /** The text of resource {@code name} of this package. */
    public static String text(String name) {
        try (InputStream in = Resources.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the kpsim jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading resource " + name + " from the kpsim jar", e);
        }
    }
}
