package xsched.backend.cuda.internal.ptx;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Splices replacements into a text by original offsets, so everything no edit covers is copied
 * byte for byte. Insertions at one offset keep the order they were added in.
 */
final class TextEdits {
    private record Edit(int start, int end, String text, int order) {}

    private final List<Edit> edits = new ArrayList<>();

    void insert(int offset, String text) {
        edits.add(new Edit(offset, offset, text, edits.size()));
    }

    void replace(int start, int end, String text) {
        edits.add(new Edit(start, end, text, edits.size()));
    }

    String applyTo(String original) {
        List<Edit> sorted = new ArrayList<>(edits);
        sorted.sort(Comparator.comparingInt(Edit::start).thenComparingInt(Edit::order));
        StringBuilder out = new StringBuilder(original.length() + 256 * sorted.size());
        int at = 0;
        for (Edit e : sorted) {
            if (e.start() < at) throw new IllegalStateException("overlapping edits at offset " + e.start());
            out.append(original, at, e.start()).append(e.text());
            at = e.end();
        }
        return out.append(original, at, original.length()).toString();
    }
}
