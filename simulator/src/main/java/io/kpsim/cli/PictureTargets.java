package io.kpsim.cli;

import io.kpsim.report.html.HtmlPage;
import io.kpsim.report.html.Page;
import io.kpsim.report.html.PageFiles;
import io.kpsim.report.svg.SvgFiles;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code --html FILE} and {@code --svg DIR}, where a command's pictures go ({@code kpsim run} and
 * {@code kpsim diagnose}): the targets are checked before any work starts, so a long run is not
 * wasted on a path that cannot be written, and each file is written whole or not at all
 * ({@link PageFiles}: a temporary file renamed over the target, so a full disk or a Ctrl-C never
 * leaves half a page). Declared through picocli's programmatic API ({@link #mixin()}, {@link CommandModel}).
 */
final class PictureTargets implements Binding.Fields {

    /** {@code --html FILE}. */
    Path html;

    /** {@code --svg DIR}. */
    Path svgDir;

    /** These options as a picocli mixin bound to this object's fields (see {@link CommandModel}). */
    CommandSpec mixin() {
        CommandSpec mixin = CommandSpec.wrapWithoutInspection(this);
        mixin.addOption(CommandModel.option("html", Path.class, this, "--html")
                .paramLabel("FILE")
                .description("Also write one self-contained HTML page: the ladder diagram around the reset, the"
                        + " window plot, outcomes and counters (open it from disk in any browser).")
                .build());
        mixin.addOption(CommandModel.option("svgDir", Path.class, this, "--svg")
                .paramLabel("DIR")
                .description("Also write the ladder and the window plot as standalone SVG files into DIR (created"
                        + " if missing), for slides.")
                .build());
        return mixin;
    }

    @Override
    public Object get(String field) {
        return switch (field) {
            case "html" -> html;
            case "svgDir" -> svgDir;
            default -> throw Binding.noSuchField(this, field);
        };
    }

    @Override
    public void set(String field, Object value) {
        switch (field) {
            case "html" -> html = (Path) value;
            case "svgDir" -> svgDir = (Path) value;
            default -> throw Binding.noSuchField(this, field);
        }
    }

    /** Whether any picture was asked for. */
    boolean wanted() {
        return html != null || svgDir != null;
    }

    /**
     * Refuses targets that cannot be written.
     *
     * @throws UserError naming the option and the path
     */
    void check() {
        if (html != null) {
            if (Files.isDirectory(html)) {
                throw new UserError("--html: " + html + " is a directory; give a file name such as report.html");
            }
            if (Files.exists(html) && !Files.isRegularFile(html)) {
                throw new UserError("--html: " + html + " exists and is not a regular file");
            }
            Path parent = html.toAbsolutePath().getParent();
            if (parent == null || !Files.isDirectory(parent)) {
                throw new UserError("--html: the directory of " + html + " does not exist");
            }
            if (!Files.isWritable(parent)) {
                throw new UserError("--html: cannot write into " + parent + " (permission denied)");
            }
        }
        if (svgDir != null) {
            if (Files.exists(svgDir) && !Files.isDirectory(svgDir)) {
                throw new UserError("--svg: " + svgDir + " exists and is not a directory");
            }
            try {
                Files.createDirectories(svgDir);
            } catch (IOException e) {
                throw new UserError("--svg: cannot create directory " + svgDir + ": " + IoWords.of(e));
            }
            if (!Files.isWritable(svgDir)) {
                throw new UserError("--svg: cannot write into " + svgDir + " (permission denied)");
            }
        }
    }

    /**
     * Writes the page to the targets asked for.
     *
     * @return the files written, for the closing line
     * @throws UserError when a file cannot be written
     */
    List<Path> write(Page page) {
        List<Path> written = new ArrayList<>();
        if (html != null) {
            try {
                PageFiles.write(html, HtmlPage.render(page));
            } catch (IOException e) {
                throw new UserError("--html: cannot write " + html + ": " + IoWords.of(e));
            }
            written.add(html);
        }
        if (svgDir != null) {
            try {
                written.addAll(SvgFiles.write(page, svgDir));
            } catch (IOException e) {
                String file =
                        e instanceof FileSystemException f && f.getFile() != null ? f.getFile() : svgDir.toString();
                throw new UserError("--svg: cannot write " + file + ": " + IoWords.of(e));
            }
        }
        return written;
    }
}
