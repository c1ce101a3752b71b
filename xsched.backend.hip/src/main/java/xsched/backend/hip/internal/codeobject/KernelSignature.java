package xsched.backend.hip.internal.codeobject;

import java.util.List;
import java.util.Objects;

/**
 * A kernel as its code object's metadata describes it: where each parameter lies in the kernel
 * argument segment, and the limits the compiler recorded.
 *
 * @param name                 the kernel's name, what {@code hipModuleGetFunction} takes
 * @param params               the parameters the source declares, in order (hidden ones left out)
 * @param kernargSegmentSize   bytes of the whole argument segment, hidden arguments included
 * @param maxFlatWorkgroupSize the most threads a block may have, 0 when not recorded
 * @param groupSegmentSize     static shared (LDS) memory per block in bytes
 */
public record KernelSignature(String name, List<Param> params, int kernargSegmentSize, int maxFlatWorkgroupSize,
        int groupSegmentSize) {
    /** Checks and copies. */
    public KernelSignature {
        Objects.requireNonNull(name, "name");
        params = List.copyOf(params);
    }

    /**
     * One declared parameter.
     *
     * @param offset    where it starts in the argument segment
     * @param size      its size in bytes
     * @param valueKind {@code by_value}, {@code global_buffer}, {@code dynamic_shared_pointer}, …
     * @param typeName  the source type when the compiler recorded it (OpenCL), else empty
     */
    public record Param(int offset, int size, String valueKind, String typeName) {
        /** Checks. */
        public Param {
            Objects.requireNonNull(valueKind, "valueKind");
            Objects.requireNonNull(typeName, "typeName");
        }

        /** @return what it is in words, e.g. {@code global_buffer int*(8)} */
        public String describe() {
            return valueKind + (typeName.isEmpty() ? "" : " " + typeName) + "(" + size + ")";
        }
    }

    /** @return each declared parameter's size in bytes */
    public int[] sizes() {
        return params.stream().mapToInt(Param::size).toArray();
    }
}
