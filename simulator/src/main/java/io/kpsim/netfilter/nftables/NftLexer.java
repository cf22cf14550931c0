package io.kpsim.netfilter.nftables;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits nftables text into {@link Token}s the way nft's scanner does for the syntax kpsim reads:
 * words run until white space or punctuation and may contain {@code . - / : _} (chain names like
 * {@code endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80}, addresses, {@code 10.0.0.1:80},
 * {@code 1024-65535}, {@code fd00::1}); {@code [fd00::1]:80} is one word; a {@code .}, {@code -} or
 * {@code :} between spaces is a concatenation, an offset or a map separator; {@code #} starts a
 * comment to the end of the line; strings are in double quotes.
 */
final class NftLexer {

    private final String text;
    private final String file;
    private int pos;
    private int line = 1;
    private int lineStart;

    private NftLexer(String file, String text) {
        this.file = file;
        this.text = text;
    }

    /**
     * The tokens of {@code text}, ending with {@link Token.Kind#EOF}.
     *
     * @throws NftTextException for an unterminated string
     */
    static List<Token> tokens(String file, String text) {
        return new NftLexer(file, text).run();
    }

    private List<Token> run() {
        List<Token> out = new ArrayList<>();
        while (pos < text.length()) {
            char c = text.charAt(pos);
            int col = pos - lineStart + 1;
            if (c == '\n') {
                out.add(new Token(Token.Kind.NEWLINE, "\\n", line, col));
                pos++;
                line++;
                lineStart = pos;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                pos++;
            } else if (c == '\\' && pos + 1 < text.length() && text.charAt(pos + 1) == '\n') {
                pos += 2;
                line++;
                lineStart = pos;
            } else if (c == '#') {
                while (pos < text.length() && text.charAt(pos) != '\n') {
                    pos++;
                }
            } else if (c == '"') {
                int end = text.indexOf('"', pos + 1);
                int nl = text.indexOf('\n', pos + 1);
                if (end < 0 || (nl >= 0 && nl < end)) {
                    throw new NftTextException(file + ":" + line + ":" + col + ": unterminated string");
                }
                out.add(new Token(Token.Kind.STRING, text.substring(pos + 1, end), line, col));
                pos = end + 1;
            } else if (c == '@') {
                int start = ++pos;
                while (pos < text.length() && isWordChar(text.charAt(pos))) {
                    pos++;
                }
                out.add(new Token(Token.Kind.SET_REF, text.substring(start, pos), line, col));
            } else if (punctuation(c, col, out)) {
                continue;
            } else {
                word(col, out);
            }
        }
        out.add(new Token(Token.Kind.EOF, "", line, pos - lineStart + 1));
        return out;
    }

    private boolean punctuation(char c, int col, List<Token> out) {
        char next = pos + 1 < text.length() ? text.charAt(pos + 1) : '\n';
        boolean standalone = Character.isWhitespace(next);
        Token.Kind kind;
        int len = 1;
        switch (c) {
            case '{' -> kind = Token.Kind.LBRACE;
            case '}' -> kind = Token.Kind.RBRACE;
            case ';' -> kind = Token.Kind.SEMICOLON;
            case ',' -> kind = Token.Kind.COMMA;
            case '&' -> kind = Token.Kind.AMP;
            case '|' -> kind = Token.Kind.PIPE;
            case '^' -> kind = Token.Kind.CARET;
            case '(', ')', '<', '>' -> kind = Token.Kind.OTHER;
            case '=' -> {
                kind = next == '=' ? Token.Kind.EQ : Token.Kind.ASSIGN;
                len = next == '=' ? 2 : 1;
            }
            case '!' -> {
                kind = next == '=' ? Token.Kind.NEQ : Token.Kind.OTHER;
                len = next == '=' ? 2 : 1;
            }
            case ':' -> {
                if (!standalone) {
                    return false;
                }
                kind = Token.Kind.COLON;
            }
            case '.' -> {
                if (!standalone) {
                    return false;
                }
                kind = Token.Kind.DOT;
            }
            case '-' -> {
                if (!standalone) {
                    return false;
                }
                kind = Token.Kind.MINUS;
            }
            case '+' -> {
                if (!standalone) {
                    return false;
                }
                kind = Token.Kind.PLUS;
            }
            default -> {
                return false;
            }
        }
        out.add(new Token(kind, text.substring(pos, pos + len), line, col));
        pos += len;
        return true;
    }

    private void word(int col, List<Token> out) {
        int start = pos;
        if (text.charAt(pos) == '[') {
            int close = text.indexOf(']', pos);
            if (close > 0) {
                pos = close + 1;
            }
        }
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == ':' && (pos + 1 >= text.length() || Character.isWhitespace(text.charAt(pos + 1)))) {
                break;
            }
            if (!isWordChar(c) && c != ':') {
                break;
            }
            pos++;
        }
        if (pos == start) {
            pos++;
            out.add(new Token(Token.Kind.OTHER, text.substring(start, pos), line, col));
            return;
        }
        out.add(new Token(Token.Kind.WORD, text.substring(start, pos), line, col));
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '/' || c == '_';
    }
}
