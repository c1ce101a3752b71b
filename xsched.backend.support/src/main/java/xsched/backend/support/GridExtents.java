package xsched.backend.support;

/**
 * The checks and arithmetic of a grid or block size in three dimensions, for the {@code Dim3}
 * records each GPU backend exports: they call these, so that every backend validates, counts and
 * prints its sizes the same way.
 */
public final class GridExtents {
    private GridExtents() {
    }

    /**
     * @param x extent in x
     * @param y extent in y
     * @param z extent in z
     * @throws IllegalArgumentException when an extent is below 1
     */
    public static void check(int x, int y, int z) {
        if (x < 1 || y < 1 || z < 1) {
            throw new IllegalArgumentException("every dimension must be at least 1, not (" + x + ", " + y + ", " + z + ")");
        }
    }

    /**
     * @param work items to cover
     * @param per  items per block
     * @return how many blocks of {@code per} cover {@code work}
     * @throws IllegalArgumentException when either is below 1, or more blocks than a grid holds are needed
     */
    public static int blocksCovering(long work, int per) {
        if (work < 1 || per < 1) {
            throw new IllegalArgumentException("work and per-block size must be positive, not " + work + " and " + per);
        }
        long blocks = (work + per - 1) / per;
        if (blocks > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(work + " items need " + blocks + " blocks of " + per + ", more than a grid holds");
        }
        return (int) blocks;
    }

    /** @param x extent in x @param y extent in y @param z extent in z @return x·y·z */
    public static long volume(int x, int y, int z) {
        return (long) x * y * z;
    }

    /**
     * @param i 0, 1 or 2
     * @param x extent in x
     * @param y extent in y
     * @param z extent in z
     * @return the extent in dimension {@code i}
     * @throws IndexOutOfBoundsException for another {@code i}
     */
    public static int get(int i, int x, int y, int z) {
        return switch (i) {
            case 0 -> x;
            case 1 -> y;
            case 2 -> z;
            default -> throw new IndexOutOfBoundsException(i);
        };
    }

    /** @param x extent in x @param y extent in y @param z extent in z @return "(x,y,z)" */
    public static String describe(int x, int y, int z) {
        return "(" + x + "," + y + "," + z + ")";
    }
}
