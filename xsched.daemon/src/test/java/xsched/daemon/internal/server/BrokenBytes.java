package xsched.daemon.internal.server;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import xsched.daemon.internal.protocol.FrameCodec;

/** Bytes that break the node protocol, for the fuzzer: random ones, mutated frames, and a terminator. */
final class BrokenBytes {
    private BrokenBytes() {
    }

    /** @return 1…48 random bytes mostly, up to 2 KiB sometimes; half the time behind a length header that fits them */
    static byte[] random(SplittableRandom r) {
        byte[] b = new byte[r.nextInt(8) == 0 ? 1 + r.nextInt(2048) : 1 + r.nextInt(48)];
        r.nextBytes(b);
        if (r.nextBoolean() && b.length > 5) {
            // a length header that fits, so that the body's bytes reach the decoder
            ByteBuffer.wrap(b).putInt(b.length - 4);
        }
        return b;
    }

    /** @return a frame's bytes changed in one of eight ways */
    static byte[] mutate(SplittableRandom r, byte[] frame) {
        byte[] b = frame.clone();
        int bodyLength = b.length - 4;
        switch (r.nextInt(8)) {
            case 0 -> {
                for (int i = 1 + r.nextInt(4); i > 0; i--) {
                    int at = r.nextInt(b.length);
                    b[at] ^= (byte) (1 << r.nextInt(8));
                }
            }
            case 1 -> b = Arrays.copyOf(b, r.nextInt(b.length)); // cut short: the next frame's bytes complete it
            case 2 -> {
                byte[] longer = Arrays.copyOf(b, b.length + 1 + r.nextInt(32));
                for (int i = b.length; i < longer.length; i++) {
                    longer[i] = (byte) r.nextInt(256);
                }
                ByteBuffer.wrap(longer).putInt(longer.length - 4); // bytes left over inside the frame
                b = longer;
            }
            case 3 -> {
                byte[] longer = Arrays.copyOf(b, b.length + 1 + r.nextInt(32));
                for (int i = b.length; i < longer.length; i++) {
                    longer[i] = (byte) r.nextInt(256);
                }
                b = longer; // header unchanged: the extra bytes start the next frame
            }
            case 4 -> {
                int[] lengths = {0, 1, bodyLength - 1, bodyLength + 1, FrameCodec.DEFAULT_MAX_FRAME, FrameCodec.DEFAULT_MAX_FRAME + 1, -1,
                    r.nextInt(), 1 + r.nextInt(Math.max(1, bodyLength))};
                ByteBuffer.wrap(b).putInt(lengths[r.nextInt(lengths.length)]);
            }
            case 5 -> b[4] = (byte) r.nextInt(256);
            case 6 -> {
                if (b.length > 6) {
                    int at = 5 + r.nextInt(b.length - 6);
                    short v = (short) (r.nextBoolean() ? 0xffff : r.nextBoolean() ? 0 : FrameCodec.MAX_STRING + 1);
                    ByteBuffer.wrap(b).putShort(at, v);
                }
            }
            default -> b[r.nextInt(b.length)] = (byte) r.nextInt(256);
        }
        return b;
    }

    /**
     * @return what completes any frame a reader may be in the middle of (a body of at most the
     *         largest frame) and then cannot be a frame: 0xff bytes, so a length of 4 GiB or a
     *         type 0xff. A reader must give up on the connection after them, whatever its state.
     */
    static byte[] terminator() {
        byte[] end = new byte[FrameCodec.DEFAULT_MAX_FRAME + 4];
        Arrays.fill(end, (byte) 0xff);
        return end;
    }
}
