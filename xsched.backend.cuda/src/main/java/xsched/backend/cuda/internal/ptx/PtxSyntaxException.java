package xsched.backend.cuda.internal.ptx;

/**
 * PTX text the rewriter cannot even split into functions (unterminated comment, unbalanced braces).
 * The caller loads the original module unguarded; entries it can delimit but not understand are
 * refused one by one instead (see {@link EntryGuard.Refused}).
 */
public final class PtxSyntaxException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    PtxSyntaxException(String message, int line) {
        super("PTX line " + line + ": " + message);
    }
}
