package xsched.backend.cuda.internal.ptx;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** PTX fixtures of this package and the module's own kernels, read from the class path. */
final class Fixtures {
    static final List<String> TEST_FIXTURES = List.of("grids.ptx", "loops.ptx", "calls.ptx", "clusters.ptx");
    static final List<String> STOCK_KERNELS = List.of("elementwise.ptx", "gemm.ptx", "timing.ptx");

    private Fixtures() {}

    static String fixture(String name) {
        return read("/xsched/backend/cuda/internal/ptx/" + name);
    }

    static String stock(String name) {
        return read("/xsched/backend/cuda/kernels/" + name);
    }

    static List<String> all() {
        List<String> out = new ArrayList<>();
        TEST_FIXTURES.forEach(n -> out.add(fixture(n)));
        STOCK_KERNELS.forEach(n -> out.add(stock(n)));
        return out;
    }

    /** The text of one entry, from its {@code .entry} line to the next entry or function. */
    static String entryText(String ptx, String entry) {
        int start = ptx.indexOf(".entry " + entry + "(");
        if (start < 0) throw new IllegalArgumentException("no entry " + entry);
        int next = ptx.length();
        for (String marker : List.of(".entry ", ".func ")) {
            int k = ptx.indexOf(marker, start + 1);
            if (k >= 0) next = Math.min(next, k);
        }
        return ptx.substring(start, next);
    }

    /** Occurrences of {@code needle} in {@code text}. */
    static int count(String text, String needle) {
        int n = 0;
        for (int k = text.indexOf(needle); k >= 0; k = text.indexOf(needle, k + needle.length())) n++;
        return n;
    }

    private static String read(String resource) {
        try (InputStream in = Fixtures.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing test resource " + resource);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
