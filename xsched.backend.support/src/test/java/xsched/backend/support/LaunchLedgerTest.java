package xsched.backend.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LaunchLedgerTest {
    private final Map<String, Throwable> failed = new LinkedHashMap<>();
    private final LaunchLedger<String> ledger = new LaunchLedger<>(failed::put);

    @Test
    void aReachedPointRetiresExactlyTheCommandsLaunchedBeforeIt() {
        for (int i = 0; i < 5; i++) {
            assertThat(ledger.launched("c" + i)).isEqualTo(i + 1);
        }

        ledger.retire(2, null);
        assertThat(ledger.outstanding()).isEqualTo(3);
        RuntimeException fault = new RuntimeException("cuEventSynchronize failed: CUDA_ERROR_ILLEGAL_ADDRESS (700)");
        ledger.retire(4, fault);
        ledger.retire(4, new RuntimeException("again"));

        assertThat(ledger.outstanding()).isEqualTo(1);
        assertThat(failed).containsOnlyKeys("c2", "c3").containsEntry("c2", fault).containsEntry("c3", fault);
        ledger.retire(ledger.launched(), null);
        assertThat(ledger.outstanding()).isZero();
        assertThat(failed).hasSize(2);
    }

    @Test
    void retiringBeyondWhatWasLaunchedStopsAtTheLastCommand() {
        ledger.launched("a");
        ledger.retire(10, new IllegalStateException("lost"));

        assertThat(failed).containsOnlyKeys("a");
        ledger.launched("b");
        assertThat(ledger.launched()).isEqualTo(2);
        assertThat(ledger.outstanding()).isEqualTo(1);
    }
}
