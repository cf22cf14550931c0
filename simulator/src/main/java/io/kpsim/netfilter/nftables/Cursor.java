package io.kpsim.netfilter.nftables;

import java.util.List;

/** A position in a token list, with the helpers the parsers share and the error they throw. */
final class Cursor {

    private final String file;
    private final List<Token> tokens;
    private int index;

    Cursor(String file, List<Token> tokens) {
        this.file = file;
        this.tokens = tokens;
    }

    /** The file name errors name. */
    String file() {
        return file;
    }

    /** The current token. */
    Token peek() {
        return tokens.get(index);
    }

    /** The token {@code ahead} positions after the current one (EOF past the end). */
    Token peek(int ahead) {
        return tokens.get(Math.min(index + ahead, tokens.size() - 1));
    }

    /** Consumes and returns the current token. */
    Token next() {
        Token t = tokens.get(index);
        if (t.kind() != Token.Kind.EOF) {
            index++;
        }
        return t;
    }

    /** Whether the current token is of {@code kind}. */
    boolean at(Token.Kind kind) {
        return peek().kind() == kind;
    }

    /** Whether the current token is the word {@code w}. */
    boolean at(String w) {
        return peek().is(w);
    }

    /** Consumes the word {@code w} if it is next. */
    boolean accept(String w) {
        if (at(w)) {
            index++;
            return true;
        }
        return false;
    }

    /** Consumes a token of {@code kind} if it is next. */
    boolean accept(Token.Kind kind) {
        if (at(kind)) {
            next();
            return true;
        }
        return false;
    }

    /** Consumes the word {@code w} or fails. */
    Token expect(String w) {
        if (!at(w)) {
            throw error(peek(), "expected '" + w + "', found " + peek().describe());
        }
        return next();
    }

    /** Consumes a token of {@code kind} or fails naming {@code what}. */
    Token expect(Token.Kind kind, String what) {
        if (!at(kind)) {
            throw error(peek(), "expected " + what + ", found " + peek().describe());
        }
        return next();
    }

    /** Consumes a word or fails naming {@code what}. */
    Token word(String what) {
        return expect(Token.Kind.WORD, what);
    }

    /** Skips newlines. */
    void skipNewlines() {
        while (at(Token.Kind.NEWLINE)) {
            next();
        }
    }

    /** Skips newlines and semicolons. */
    void skipSeparators() {
        while (at(Token.Kind.NEWLINE) || at(Token.Kind.SEMICOLON)) {
            next();
        }
    }

    /** The error {@code FILE:LINE:COL: message} at {@code t}. */
    NftTextException error(Token t, String message) {
        return new NftTextException(file + ":" + t.line() + ":" + t.column() + ": " + message);
    }
}
