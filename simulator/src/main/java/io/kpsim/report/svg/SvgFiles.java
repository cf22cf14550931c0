package io.kpsim.report.svg;

import io.kpsim.report.html.FixVariant;
import io.kpsim.report.html.LadderSvg;
import io.kpsim.report.html.Page;
import io.kpsim.report.html.PageFiles;
import io.kpsim.report.html.PlotSvg;
import io.kpsim.report.html.Resources;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The report's figures as standalone SVG files for slides: {@code ladder.svg},
 * {@code window-plot.svg} (then {@code window-plot-2.svg}, ...) and, with "compare fixes", one
 * small ladder per fix ({@code compare-no-fix.svg}, ...). Each file carries its own stylesheet and
 * a white background, so it looks the same in a browser, Inkscape or a slide deck.
 */
public final class SvgFiles {

    private SvgFiles() {}

    /** The file names {@link #write} would write for {@code page}, in order. */
    public static List<String> names(Page page) {
        List<String> names = new ArrayList<>();
        if (page.ladder() != null) {
            names.add("ladder.svg");
        }
        for (int i = 0; i < page.plots().size(); i++) {
            names.add(i == 0 ? "window-plot.svg" : "window-plot-" + (i + 1) + ".svg");
        }
        for (FixVariant v : page.compare()) {
            if (v.ladder() != null) {
                names.add("compare-" + slug(v.label()) + ".svg");
            }
        }
        return names;
    }

    /** Writes the figures of {@code page} into {@code dir} (which must exist); returns the files written. */
    public static List<Path> write(Page page, Path dir) throws IOException {
        String css = Resources.text(Resources.FIGURES_CSS);
        List<Path> written = new ArrayList<>();
        List<String> names = names(page);
        int n = 0;
        if (page.ladder() != null) {
            written.add(file(dir, names.get(n++), LadderSvg.render(page.ladder(), "ladder", false, true, css)));
        }
        for (int i = 0; i < page.plots().size(); i++) {
            written.add(file(dir, names.get(n++), PlotSvg.render(page.plots().get(i), "plot", true, css)));
        }
        for (FixVariant v : page.compare()) {
            if (v.ladder() != null) {
                written.add(file(dir, names.get(n++), LadderSvg.render(v.ladder(), "ladder", true, true, css)));
            }
        }
        return written;
    }

    /** Writes one file; a failure names it ({@link FileSystemException#getFile()}). */
    private static Path file(Path dir, String name, String svg) throws IOException {
        Path target = dir.resolve(name);
        try {
            PageFiles.write(target, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + svg);
        } catch (FileSystemException e) {
            throw e.getFile() != null ? e : new FileSystemException(target.toString(), null, e.getReason());
        } catch (IOException e) {
            FileSystemException named = new FileSystemException(target.toString(), null, e.getMessage());
            named.initCause(e);
            throw named;
        }
        return target;
    }

    /** {@code "INVALID drop"} -> {@code invalid-drop}. */
    static String slug(String label) {
        return label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }
}
