package xsched.karaf.compat.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WeavingLedgerTest {
    @Test
    void summarisesWovenClassesByBundle() {
        WeavingLedger ledger = new WeavingLedger();
        assertThat(ledger.summary()).isEqualTo("no class woven");

        ledger.woven("org.apache.karaf.shell.core 4.4.10");
        ledger.woven("org.apache.karaf.services.eventadmin 4.4.10");
        ledger.woven("org.apache.karaf.shell.core 4.4.10");

        assertThat(ledger.summary()).isEqualTo("3 class(es) woven: org.apache.karaf.services.eventadmin 4.4.10 (1),"
                + " org.apache.karaf.shell.core 4.4.10 (2)");
    }
}
