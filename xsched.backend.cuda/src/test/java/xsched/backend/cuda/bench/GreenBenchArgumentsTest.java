package xsched.backend.cuda.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** GreenBench's arguments: the background's shape and the row groups, with a usable message for anything else. No GPU needed. */
class GreenBenchArgumentsTest {
    @Test
    void backgroundShapesParse() {
        assertEquals(new GreenBench.BackgroundShape("spin", 128), GreenBench.BackgroundShape.parse("spin:128"));
        assertEquals(new GreenBench.BackgroundShape("sgemm", 2048), GreenBench.BackgroundShape.parse("sgemm:2048"));
        assertEquals("spin16", GreenBench.BackgroundShape.DEFAULT.tag());
    }

    @Test
    void badShapesSayWhatIsAccepted() {
        for (String bad : new String[] {"spin", "spin:0", "spin:x", "sgemm:100", "sgemm:1000", "gemm:1024", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GreenBench.BackgroundShape.parse(bad), bad);
            assertTrue(e.getMessage().contains("spin:W") && e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
    }

    @Test
    void unknownArgumentsAndRowGroupsAreRefused() {
        assertEquals("green-bench-spin64-green-native-shared-static.txt",
                GreenBench.of("full", "bg=spin:64", "rows=green,static,shared,native").tableName());
        assertEquals("green-bench.txt", GreenBench.of().tableName());
        assertEquals("green-bench-sgemm2048.txt", GreenBench.of("quick", "bg=sgemm:2048").tableName());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GreenBench.of("full", "rows=green,stattic")).getMessage()
                .contains("'green,stattic'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GreenBench.of("full", "rows=")).getMessage().contains("rows takes"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GreenBench.of("quick", "fast")).getMessage().contains("'fast'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GreenBench.of("bg=spin:1001")).getMessage().contains("spin:1001"));
    }
}
