package xsched.backend.hip;

/**
 * A grid (blocks) or block (threads) size in three dimensions, each at least 1. A launch also
 * checks them against the device's and the kernel's limits when it is built.
 *
 * @param x extent in x
 * @param y extent in y
 * @param z extent in z
 */
public record Dim3(int x, int y, int z) {
    /** @throws IllegalArgumentException when an extent is below 1 */
    public Dim3 {
        if (x < 1 || y < 1 || z < 1) {
            throw new IllegalArgumentException("every dimension must be at least 1, not (" + x + ", " + y + ", " + z + ")");
        }
    }

    /** @param x extent @return (x, 1, 1) */
    public static Dim3 of(int x) {
        return new Dim3(x, 1, 1);
    }

    /** @param x extent @param y extent @return (x, y, 1) */
    public static Dim3 of(int x, int y) {
        return new Dim3(x, y, 1);
    }

    /** @param x extent @param y extent @param z extent @return (x, y, z) */
    public static Dim3 of(int x, int y, int z) {
        return new Dim3(x, y, z);
    }

    /**
     * @param work items to cover
     * @param per  items per block
     * @return enough blocks of {@code per} to cover {@code work}, in x
     */
    public static Dim3 covering(long work, int per) {
        if (work < 1 || per < 1) {
            throw new IllegalArgumentException("work and per-block size must be positive, not " + work + " and " + per);
        }
        long blocks = (work + per - 1) / per;
        if (blocks > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(work + " items need " + blocks + " blocks of " + per + ", more than a grid holds");
        }
        return of((int) blocks);
    }

    /** @return x·y·z */
    public long volume() {
        return (long) x * y * z;
    }

    /** @param i 0, 1 or 2 @return the extent in that dimension */
    public int get(int i) {
        return switch (i) {
            case 0 -> x;
            case 1 -> y;
            case 2 -> z;
            default -> throw new IndexOutOfBoundsException(i);
        };
    }

    @Override
    public String toString() {
        return "(" + x + "," + y + "," + z + ")";
    }
}
