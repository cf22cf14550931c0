package io.kpsim.netfilter.nftables;

/**
 * One token of nftables text, with where it starts (1-based line and column).
 *
 * @param kind what it is
 * @param text a word's or string's text (a string without its quotes)
 * @param line the line
 * @param column the column
 */
record Token(Kind kind, String text, int line, int column) {

    /** Token kinds. */
    enum Kind {
        /** A word: keyword, name, number, address, range, prefix. */
        WORD,
        /** A quoted string. */
        STRING,
        /** {@code @name}: the text is the name. */
        SET_REF,
        /** {@code {}. */
        LBRACE,
        /** {@code }}. */
        RBRACE,
        /** {@code ;}. */
        SEMICOLON,
        /** End of a line. */
        NEWLINE,
        /** {@code ,}. */
        COMMA,
        /** A {@code :} standing alone (a map's separator). */
        COLON,
        /** A {@code .} standing alone (a concatenation). */
        DOT,
        /** A {@code -} standing alone (a priority offset). */
        MINUS,
        /** A {@code +} standing alone. */
        PLUS,
        /** {@code ==}. */
        EQ,
        /** {@code !=}. */
        NEQ,
        /** {@code =} (in {@code elements = }). */
        ASSIGN,
        /** {@code &}. */
        AMP,
        /** {@code |}. */
        PIPE,
        /** {@code ^}. */
        CARET,
        /** Any other punctuation ({@code ( ) < > !}), never valid in what kpsim reads. */
        OTHER,
        /** The end of the text. */
        EOF
    }

    /** Whether this is the word {@code w}. */
    boolean is(String w) {
        return kind == Kind.WORD && text.equals(w);
    }

    /** Whether this token ends a rule or declaration line. */
    boolean endsLine() {
        return kind == Kind.NEWLINE || kind == Kind.SEMICOLON || kind == Kind.RBRACE || kind == Kind.EOF;
    }

    /** How an error message names it. */
    String describe() {
        return switch (kind) {
            case WORD -> "'" + text + "'";
            case STRING -> "\"" + text + "\"";
            case SET_REF -> "'@" + text + "'";
            case NEWLINE -> "end of line";
            case EOF -> "end of file";
            default -> "'" + text + "'";
        };
    }
}
