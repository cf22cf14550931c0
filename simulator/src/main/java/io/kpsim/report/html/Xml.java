package io.kpsim.report.html;

/**
 * Escaping for text and attribute values in the page, which is written as polyglot XHTML5: it
 * parses the same as HTML and as XML, so a plain XML parser can check it.
 */
final class Xml {

    private Xml() {}

    /** {@code text} safe inside an element or a double-quoted attribute. */
    static String escape(String text) {
        StringBuilder s = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String r;
            switch (c) {
                case '&':
                    r = "&amp;";
                    break;
                case '<':
                    r = "&lt;";
                    break;
                case '>':
                    r = "&gt;";
                    break;
                case '"':
                    r = "&quot;";
                    break;
                default:
                    r = null;
            }
            if (r != null || c < 0x20 && c != '\n' && c != '\t') {
                if (s == null) {
                    s = new StringBuilder(text.length() + 16).append(text, 0, i);
                }
                s.append(r != null ? r : "\uFFFD");
            } else if (s != null) {
                s.append(c);
            }
        }
        return s == null ? text : s.toString();
    }
}
