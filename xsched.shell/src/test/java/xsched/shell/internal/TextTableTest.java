package xsched.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextTableTest {
    @Test
    void alignsColumns() {
        String table = new TextTable("ID", "NAME", "STATE").row(1, "infer", "IDLE").row(22, null, "READY").toString();
        assertThat(table).isEqualTo("""
                ID  NAME   STATE
                1   infer  IDLE
                22         READY""");
    }

    @Test
    void escapesCellsSoThatANameCannotMoveTheCursorOrBreakARow() {
        String table = new TextTable("ID", "NAME", "STATE").row(7, "\u001b[2J\u001b[Hevil\nID  fake", "IDLE").toString();
        assertThat(table).doesNotContain("\u001b").hasLineCount(2);
        assertThat(table.lines().toList().get(1)).isEqualTo("7   \\x1b[2J\\x1b[Hevil\\nID  fake  IDLE");
    }
}
