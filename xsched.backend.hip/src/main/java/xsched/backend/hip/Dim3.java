package xsched.backend.hip;

import xsched.backend.support.GridExtents;

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
        GridExtents.check(x, y, z);
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
        return of(GridExtents.blocksCovering(work, per));
    }

    /** @return x·y·z */
    public long volume() {
        return GridExtents.volume(x, y, z);
    }

    /** @param i 0, 1 or 2 @return the extent in that dimension */
    public int get(int i) {
        return GridExtents.get(i, x, y, z);
    }

    @Override
    public String toString() {
        return GridExtents.describe(x, y, z);
    }
}
