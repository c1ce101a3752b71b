package xsched.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a terminal would act on is printed as an escape; what it shows is printed as it is. */
class TerminalTextTest {
    @Test
    void escapesC0ControlsAndDel() {
        assertThat(TerminalText.escape("a\u001b[2Jb")).isEqualTo("a\\x1b[2Jb");
        assertThat(TerminalText.escape("1\r2\n3\t4")).isEqualTo("1\\r2\\n3\\t4");
        assertThat(TerminalText.escape("\u0000\u0007\u007f")).isEqualTo("\\x00\\x07\\x7f");
    }

    @Test
    void escapesC1Controls() {
        // U+009B is the one-byte CSI: "\u009b2J" clears some terminals' screens too
        assertThat(TerminalText.escape("\u009b2J\u0085")).isEqualTo("\\x9b2J\\x85");
    }

    @Test
    void escapesBidiOverridesIsolatesAndInvisibleFormatCharacters() {
        for (int cp = 0x202a; cp <= 0x202e; cp++) {
            assertThat(TerminalText.escape("q" + Character.toString(cp))).isEqualTo("q\\u" + Integer.toHexString(cp));
        }
        for (int cp = 0x2066; cp <= 0x2069; cp++) {
            assertThat(TerminalText.escape(Character.toString(cp))).isEqualTo("\\u" + Integer.toHexString(cp));
        }
        assertThat(TerminalText.escape("zero\u200bwidth\ufeff")).isEqualTo("zero\\u200bwidth\\ufeff");
        assertThat(TerminalText.escape("line\u2028para\u2029")).isEqualTo("line\\u2028para\\u2029");
        assertThat(TerminalText.escape("tag" + Character.toString(0xe0001))).isEqualTo("tag\\U000e0001");
    }

    @Test
    void escapesLoneSurrogatesAndUnassignedCodePoints() {
        assertThat(TerminalText.escape("x\ud800y")).isEqualTo("x\\ud800y");
        assertThat(TerminalText.escape(Character.toString(0x10ffff))).isEqualTo("\\U0010ffff");
    }

    @Test
    void leavesPrintableTextAloneAndDoublesBackslashes() {
        String printable = "infer-Ω 中文 naïve 😀 50µs ≥ … [x] 'q' \"q\"";
        assertThat(TerminalText.escape(printable)).isEqualTo(printable);
        assertThat(TerminalText.escape("C:\\x1b")).isEqualTo("C:\\\\x1b");
        assertThat(TerminalText.escape(null)).isEmpty();
    }

    @Test
    void theLastGuardKeepsLinesAndEarlierEscapes() {
        String answer = TerminalText.escape("evil\u001b[2J") + "\nnext line\u001b]0;title\u0007";
        assertThat(TerminalText.escapeKeepingLines(answer)).isEqualTo("evil\\x1b[2J\nnext line\\x1b]0;title\\x07");
        assertThat(TerminalText.escapeKeepingLines("a\r\nb")).isEqualTo("a\\r\nb");
    }
}
