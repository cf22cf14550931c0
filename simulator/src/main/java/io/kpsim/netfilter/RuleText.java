package io.kpsim.netfilter;

import java.util.ArrayList;
import java.util.List;

/**
 * Quoting and splitting of rule text: {@code xtables_save_string()} on the way out, and the
 * shell-like word splitting of {@code iptables-restore} ({@code add_param_to_argv()}) on the way in.
 */
final class RuleText {

    private static final String NO_QUOTE = "_-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    private RuleText() {}

    /** {@code xtables_save_string()}: bare when only {@code [_-0-9A-Za-z]}, else double-quoted with escapes. */
    static void quote(StringBuilder out, String value) {
        boolean bare = !value.isEmpty();
        for (int i = 0; i < value.length() && bare; i++) {
            bare = NO_QUOTE.indexOf(value.charAt(i)) >= 0;
        }
        if (bare) {
            out.append(value);
            return;
        }
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\' || c == '\'') {
                out.append('\\');
            }
            out.append(c);
        }
        out.append('"');
    }

    /**
     * Splits a rule line into words: whitespace separates, double quotes group, a backslash
     * escapes the next character inside quotes.
     *
     * @throws IllegalArgumentException on an unterminated quote
     */
    static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '\\' && i + 1 < line.length()) {
                    word.append(line.charAt(++i));
                } else if (c == '"') {
                    quoted = false;
                } else {
                    word.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("unterminated quoted string");
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }
}
