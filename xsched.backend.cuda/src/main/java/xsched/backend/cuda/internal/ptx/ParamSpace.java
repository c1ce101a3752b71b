package xsched.backend.cuda.internal.ptx;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lays out an entry's parameter list the way the driver packs kernel arguments (each at its
 * alignment) to decide whether the guardian's two pointers still fit. The limit is 4096 bytes, or
 * 32764 from PTX ISA 8.1 on {@code sm_70} and later (CUDA 12.1 raised it there).
 */
final class ParamSpace {
    static final int CLASSIC_LIMIT = 4096;
    static final int LARGE_LIMIT = 32764;
    private static final Pattern SIZED = Pattern.compile("\\.[bsuf](8|16|32|64|128)(x2)?");

    private ParamSpace() {}

    /** The byte limit for kernel parameters of a module. */
    static int limit(PtxModule m) {
        boolean large = (m.versionMajor() > 8 || m.versionMajor() == 8 && m.versionMinor() >= 1) && m.smTarget() >= 70;
        return large ? LARGE_LIMIT : CLASSIC_LIMIT;
    }

    /**
     * Bytes the declared parameters take.
     *
     * @throws IllegalArgumentException naming the declaration it does not understand
     */
    static long size(List<List<PtxToken>> params) {
        long offset = 0;
        for (List<PtxToken> p : params) {
            int size = 0;
            int align = 0;
            long count = 1;
            for (int i = 0; i < p.size(); i++) {
                String t = p.get(i).text();
                Matcher m = SIZED.matcher(t);
                if (t.equals(".align") && i + 1 < p.size()) {
                    align = Integer.parseInt(p.get(++i).text());
                } else if (m.matches()) {
                    size = Integer.parseInt(m.group(1)) / 8 * (m.group(2) != null ? 2 : 1);
                } else if (t.equals(".texref") || t.equals(".samplerref") || t.equals(".surfref")) {
                    size = 8;
                } else if (t.equals("[") && i + 1 < p.size()) {
                    count = Long.parseLong(p.get(++i).text());
                }
            }
            if (p.isEmpty() || !p.getFirst().is(".param") || size == 0) {
                throw new IllegalArgumentException("parameter declaration not understood: " + text(p));
            }
            if (align == 0) align = size;
            offset = (offset + align - 1) / align * align + size * count;
        }
        return offset;
    }

    /** Bytes the parameters take once the guardian's two {@code .u64} pointers are appended. */
    static long sizeWithGuard(List<List<PtxToken>> params) {
        return (size(params) + 7) / 8 * 8 + 16;
    }

    private static String text(List<PtxToken> p) {
        StringBuilder b = new StringBuilder();
        for (PtxToken t : p) b.append(b.isEmpty() ? "" : " ").append(t.text());
        return b.toString();
    }
}
