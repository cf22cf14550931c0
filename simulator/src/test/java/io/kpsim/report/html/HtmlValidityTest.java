package io.kpsim.report.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import nu.validator.htmlparser.common.XmlViolationPolicy;
import nu.validator.htmlparser.sax.HtmlParser;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * The page of every library scenario is valid: it parses as XML (polyglot XHTML5), the HTML5
 * parsing algorithm (the Nu validator's parser) reports no error, tidy finds nothing to complain
 * about when it is installed, it stays under 2 MB, and the same run gives the same bytes.
 */
class HtmlValidityTest {

    static Stream<String> library() throws IOException {
        try (Stream<Path> files = Files.list(Runs.scenario("blog-reset").getParent())) {
            return files
                    .map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml"))
                    .map(n -> n.substring(0, n.length() - ".yaml".length()))
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    @ParameterizedTest
    @MethodSource("library")
    void thePageIsWellFormedValidHtml5AndSmall(String name) throws Exception {
        String html = HtmlPage.render(Runs.run(name).page());
        assertTrue(html.length() < 2_000_000, name + ": " + html.length() + " bytes");
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
        Document doc = f.newDocumentBuilder().parse(new InputSource(new StringReader(html)));
        assertEquals("html", doc.getDocumentElement().getLocalName());
        assertEquals(List.of(), html5Errors(html), name);
    }

    /** The errors the HTML5 parsing algorithm reports for {@code html}. */
    static List<String> html5Errors(String html) throws Exception {
        List<String> errors = new ArrayList<>();
        HtmlParser parser = new HtmlParser(XmlViolationPolicy.ALLOW);
        parser.setErrorHandler(new ErrorHandler() {
            @Override
            public void warning(SAXParseException e) {
                // Notes on coercing the document to an XML infoset (the xmlns attribute HTML allows), not HTML errors.
            }

            @Override
            public void error(SAXParseException e) {
                errors.add("error " + e.getLineNumber() + ":" + e.getColumnNumber() + " " + e.getMessage());
            }

            @Override
            public void fatalError(SAXParseException e) {
                errors.add("fatal " + e.getLineNumber() + ":" + e.getColumnNumber() + " " + e.getMessage());
            }
        });
        parser.setContentHandler(new DefaultHandler());
        parser.parse(new InputSource(new StringReader(html)));
        return errors;
    }

    @Test
    void theHtml5ParserCatchesABrokenPage() throws Exception {
        assertTrue(!html5Errors("<!DOCTYPE html><html><body><p>x</i></body></html>")
                .isEmpty());
    }

    @Test
    void tidyHasNothingToSay(@TempDir Path dir) throws Exception {
        Path tidy = Path.of("/usr/bin/tidy");
        Assumptions.assumeTrue(
                Files.isExecutable(tidy),
                "tidy check skipped: /usr/bin/tidy (Debian package tidy)" + " not installed (.ci/run installs it)");
        Path file = dir.resolve("blog.html");
        Files.writeString(file, HtmlPage.render(Runs.run("blog-reset").page()));
        Process p = new ProcessBuilder(tidy.toString(), "-q", "-e", "--show-warnings", "yes", file.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals("", out.trim(), "tidy's findings");
        assertEquals(0, p.exitValue());
    }

    @Test
    void theSameRunGivesTheSameBytes() {
        String a = HtmlPage.render(Runs.run("boom-4.19").page());
        String b = HtmlPage.render(Runs.run("boom-4.19").page());
        assertEquals(a, b);
    }
}
