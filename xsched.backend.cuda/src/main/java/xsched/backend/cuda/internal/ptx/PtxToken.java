package xsched.backend.cuda.internal.ptx;

/**
 * One token of PTX source with its exact position, so that edits can splice the original text and
 * leave everything they do not touch byte-identical.
 *
 * @param kind what sort of token it is
 * @param text the token's characters
 * @param start offset of the first character in the module text
 * @param end offset just past the last character
 * @param line 1-based line of the first character, for messages
 */
record PtxToken(Kind kind, String text, int start, int end, int line) {

    /** Token classes; words cover opcodes, directives, registers, labels and identifiers. */
    enum Kind { WORD, NUMBER, STRING, PUNCT }

    boolean is(String s) {
        return text.equals(s);
    }

    boolean isWord() {
        return kind == Kind.WORD;
    }
}
