package xsched.backend.support;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.List;

/**
 * Kernel argument values packed by an {@link ArgumentPacker}: one byte array, each value at its
 * natural alignment, with each argument's offset, size and kind. Immutable. {@link
 * #writeTo(MemorySegment, MemorySegment)} allocates nothing, so a queue may call it on its launch
 * path with reused native memory.
 */
public final class PackedArguments {
    /** No arguments. */
    public static final PackedArguments NONE = new PackedArguments(new byte[0], new int[0], new int[0], new String[0]);

    private final byte[] data;
    private final int[] offsets;
    private final int[] sizes;
    private final String[] kinds;

    PackedArguments(byte[] data, int[] offsets, int[] sizes, String[] kinds) {
        this.data = data;
        this.offsets = offsets;
        this.sizes = sizes;
        this.kinds = kinds;
    }

    /** @return number of arguments */
    public int count() {
        return sizes.length;
    }

    /** @param index 0…count-1 @return the argument's size in bytes */
    public int size(int index) {
        return sizes[index];
    }

    /** @param index 0…count-1 @return what the argument is, e.g. "int" or "pointer" */
    public String kind(int index) {
        return kinds[index];
    }

    /** @param index 0…count-1 @return where the argument's value starts in {@link #bytes()} */
    public int offset(int index) {
        return offsets[index];
    }

    /** @return the packed bytes, a copy */
    public byte[] bytes() {
        return data.clone();
    }

    /** @return the total size of the packed values in bytes */
    public int packedSize() {
        return data.length;
    }

    /**
     * Writes the values into {@code values} and a pointer to each into {@code pointers}: a
     * {@code kernelParams} array.
     *
     * @param values   native memory of at least {@link #packedSize()} bytes, 8-byte aligned
     * @param pointers native memory of at least {@link #count()} addresses
     */
    public void writeTo(MemorySegment values, MemorySegment pointers) {
        MemorySegment.copy(data, 0, values, ValueLayout.JAVA_BYTE, 0, data.length);
        long base = values.address();
        for (int i = 0; i < offsets.length; i++) {
            pointers.setAtIndex(ValueLayout.JAVA_LONG, i, base + offsets[i]);
        }
    }

    /**
     * Checks the arguments against a kernel's parameter sizes.
     *
     * @param kernel     the kernel's name, for messages
     * @param paramSizes its parameter sizes in bytes
     * @param paramKinds what each parameter is, for messages, or {@code null} where only the sizes are known
     * @throws IllegalArgumentException when the count or a size differs
     */
    public void checkAgainst(String kernel, int[] paramSizes, List<String> paramKinds) {
        if (paramSizes.length != sizes.length) {
            throw new IllegalArgumentException("kernel '" + kernel + "' takes " + paramSizes.length + " parameters "
                    + (paramKinds == null ? Arrays.toString(paramSizes) + " bytes" : paramKinds) + ", but " + sizes.length
                    + " arguments were given " + describe());
        }
        for (int i = 0; i < sizes.length; i++) {
            if (paramSizes[i] != sizes[i]) {
                throw new IllegalArgumentException("kernel '" + kernel + "' parameter " + i + " is "
                        + (paramKinds == null ? "" : paramKinds.get(i) + ", ") + paramSizes[i] + " bytes, but argument " + i
                        + " is a " + sizes[i] + "-byte " + kinds[i]);
            }
        }
    }

    /** @return the argument kinds and sizes, e.g. "[pointer(8), int(4)]" */
    public String describe() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < sizes.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(kinds[i]).append('(').append(sizes[i]).append(')');
        }
        return sb.append(']').toString();
    }
}
