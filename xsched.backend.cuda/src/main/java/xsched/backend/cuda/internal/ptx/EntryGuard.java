package xsched.backend.cuda.internal.ptx;

/**
 * What the rewriter did to one {@code .entry}.
 */
public sealed interface EntryGuard {

    /** The entry's name as in the PTX. */
    String entry();

    /** The preempt level the entry supports after rewriting: 1 (refused), 2 or 3. */
    int level();

    /**
     * Guarded by tickets: two {@code .u64} parameters appended, blocks claim logical indices.
     *
     * @param entry the entry's name
     * @param whyNotLv3 why Lv3 was asked for but not applied, or null when it was not asked for
     */
    record Lv2(String entry, String whyNotLv3) implements EntryGuard {
        @Override
        public int level() {
            return 2;
        }
    }

    /**
     * Guarded by tickets and interruptible at loop back-edges.
     *
     * @param entry the entry's name
     * @param interruptPoints the number of back-edges that check the stop flag (may be 0)
     */
    record Lv3(String entry, int interruptPoints) implements EntryGuard {
        @Override
        public int level() {
            return 3;
        }
    }

    /**
     * Left byte-identical; launch it as before (Lv1 only).
     *
     * @param entry the entry's name
     * @param reason why, in words a user can act on
     */
    record Refused(String entry, String reason) implements EntryGuard {
        @Override
        public int level() {
            return 1;
        }
    }
}
