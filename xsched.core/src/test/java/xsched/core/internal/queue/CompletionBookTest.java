package xsched.core.internal.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import xsched.api.Outcome;

class CompletionBookTest {
    @Test
    void completedFailedAndDroppedAreTold() {
        CompletionBook book = new CompletionBook(100);
        IllegalStateException boom = new IllegalStateException("boom");
        book.failed(2, boom);
        book.completed(3, 3);
        book.unlaunched(4, 6, Outcome.DROPPED, null);
        assertThat(book.outcome(1)).isEqualTo(Outcome.COMPLETED);
        assertThat(book.outcome(2)).isEqualTo(Outcome.FAILED);
        assertThat(book.failure(2)).isSameAs(boom);
        assertThat(book.outcome(5)).isEqualTo(Outcome.DROPPED);
        assertThat(book.outcome(7)).isNull();
        assertThat(book.ended()).isEqualTo(6);
        assertThat(book.completedCount()).isEqualTo(2);
    }

    @Test
    void aMillionSeparateDropsKeepTheRecordsBoundedAndLookupsExact() {
        int window = 1 << 14;
        CompletionBook book = new CompletionBook(window);
        long seq = 0;
        for (int i = 0; i < 1_000_000; i++) {
            long launched = ++seq;
            book.completed(launched, 1);
            long dropped = ++seq;
            book.unlaunched(dropped, dropped, Outcome.DROPPED, null);
            book.prune(seq, seq + 1);
        }
        assertThat(book.records()).isLessThanOrEqualTo(window);
        assertThat(book.outcome(seq)).isEqualTo(Outcome.DROPPED);
        assertThat(book.outcome(seq - 1)).isEqualTo(Outcome.COMPLETED);
        assertThat(book.outcome(seq - window + 2)).isEqualTo(Outcome.DROPPED);
        assertThatThrownBy(() -> book.outcome(1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no longer kept");
    }

    @Test
    void recordsOfCommandsStillOpenAreNeverPruned() {
        CompletionBook book = new CompletionBook(10);
        book.unlaunched(1, 1, Outcome.DROPPED, null);
        book.prune(1_000, 1);
        assertThat(book.outcome(1)).isEqualTo(Outcome.DROPPED);
    }
}
