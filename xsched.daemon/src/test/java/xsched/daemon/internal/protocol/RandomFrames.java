package xsched.daemon.internal.protocol;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.random.RandomGenerator;
import xsched.api.Hint;
import xsched.api.HintTarget;
import xsched.daemon.internal.protocol.Frame.TargetKind;

/**
 * Random frames that the codec must accept: every field within what {@link FrameCodec#decode}
 * checks, strings of any valid Unicode (control characters, right-to-left marks, combining marks,
 * astral code points) up to {@link FrameCodec#MAX_STRING} UTF-8 bytes. A frame made here
 * round-trips to an equal one. For the codec's tests and the server's fuzzer.
 */
public final class RandomFrames {
    /** Device kinds as clients send them, and a few the daemon does not know. */
    private static final List<String> KINDS = List.of("gpu", "GPU", "npu", "fpga", "asic", "cpu", " Cpu ", "tpu", "", "gpu\0");

    private RandomFrames() {
    }

    /** @return any frame, of either direction */
    public static Frame any(RandomGenerator r) {
        return r.nextInt(3) == 0 ? fromServer(r) : fromClient(r);
    }

    /** @return a random client frame with random queue ids */
    public static Frame.FromClient fromClient(RandomGenerator r) {
        return switch (r.nextInt(6)) {
            case 0 -> hello(r);
            case 1 -> open(r, queueId(r));
            case 2 -> new Frame.Close(queueId(r));
            case 3 -> state(r, queueId(r));
            case 4 -> hintFrame(r);
            default -> new Frame.SetPolicy(string(r));
        };
    }

    /** @return a random server frame */
    public static Frame.FromServer fromServer(RandomGenerator r) {
        return switch (r.nextInt(7)) {
            case 0 -> new Frame.Welcome(r.nextInt(0x10000), r.nextInt(), r.nextLong(), r.nextLong(), r.nextLong(), string(r));
            case 1 -> new Frame.Opened(queueId(r), queueId(r));
            case 2 -> new Frame.Suspend(queueId(r));
            case 3 -> new Frame.Resume(queueId(r), r.nextBoolean());
            case 4 -> new Frame.Configure(queueId(r), r.nextInt(4), r.nextInt(Integer.MAX_VALUE), r.nextInt(Integer.MAX_VALUE));
            case 5 -> new Frame.Refused(r.nextInt(256), queueId(r), string(r));
            default -> new Frame.PolicyChanged(string(r));
        };
    }

    /** @return a hello of this protocol's version, mostly, else of a later one, with a random name */
    public static Frame.Hello hello(RandomGenerator r) {
        // never an earlier version: the daemon would speak it, and a State of this one would break it
        int version = r.nextInt(10) == 0 ? r.nextInt(Frame.VERSION, 0x10000) : Frame.VERSION;
        return new Frame.Hello(version, r.nextInt(), string(r));
    }

    /** @return an open of a queue: mostly a device kind the daemon knows, levels 1…3, positive windows */
    public static Frame.Open open(RandomGenerator r, long queue) {
        int threshold = r.nextBoolean() ? 1 + r.nextInt(64) : 1 + r.nextInt(Integer.MAX_VALUE);
        int batch = r.nextBoolean() ? 1 + r.nextInt(threshold) : 1 + r.nextInt(Integer.MAX_VALUE);
        String kind = r.nextInt(8) == 0 ? string(r) : KINDS.get(r.nextInt(KINDS.size() - 3));
        if (r.nextInt(16) == 0) {
            kind = KINDS.get(KINDS.size() - 3 + r.nextInt(3));
        }
        return new Frame.Open(queue, string(r), string(r), string(r), kind, string(r), 1 + r.nextInt(3), 1 + r.nextInt(3), threshold,
                batch);
    }

    /** @return a state report: any flags, any level, counters that are not negative, a positive sequence number */
    public static Frame.State state(RandomGenerator r, long queue) {
        long submitted = r.nextBoolean() ? r.nextLong(1000) : r.nextLong(Long.MAX_VALUE);
        long finished = r.nextBoolean() ? r.nextLong(submitted + 1) : r.nextLong(Long.MAX_VALUE);
        long seq = r.nextBoolean() ? r.nextLong(1, 1000) : r.nextInt(8) == 0 ? Long.MAX_VALUE : r.nextLong(1, Long.MAX_VALUE);
        Frame.Reach reach = r.nextInt(4) == 0 ? Frame.Reach.UNKNOWN
                : new Frame.Reach(1 + r.nextInt(3), Frame.Reach.STOPS_AT.get(r.nextInt(Frame.Reach.STOPS_AT.size())),
                        r.nextInt(Integer.MAX_VALUE), r.nextInt(Integer.MAX_VALUE), r.nextBoolean() ? "" : string(r));
        return new Frame.State(queue, r.nextBoolean(), r.nextBoolean(), 1 + r.nextInt(3), submitted, finished,
                r.nextInt(Integer.MAX_VALUE), r.nextInt(Integer.MAX_VALUE), seq, reach, r.nextBoolean(),
                r.nextBoolean() ? -1 : r.nextLong(Long.MAX_VALUE), r.nextBoolean() ? -1 : r.nextLong(Long.MAX_VALUE),
                r.nextBoolean() ? -1 : r.nextLong(Long.MAX_VALUE));
    }

    /** @return a hint frame of any target kind, its hint valid for that kind */
    public static Frame.HintFrame hintFrame(RandomGenerator r) {
        TargetKind kind = TargetKind.values()[r.nextInt(TargetKind.values().length)];
        return hintFrame(r, kind, kind == TargetKind.PROCESS && r.nextBoolean() ? r.nextLong(1, 1 << 22) : queueId(r));
    }

    /** @return a hint frame for a target, its hint valid for that kind of target */
    public static Frame.HintFrame hintFrame(RandomGenerator r, TargetKind kind, long target) {
        return new Frame.HintFrame(kind, target, hint(r, kind, target));
    }

    /** @return a hint valid for a target, with the target the codec gives it on the way back */
    public static Hint hint(RandomGenerator r, TargetKind kind, long target) {
        HintTarget t = switch (kind) {
            case GLOBAL -> HintTarget.global();
            case OWN_QUEUE, NODE_QUEUE -> HintTarget.queue(target);
            case PROCESS -> HintTarget.process(target);
        };
        if (kind == TargetKind.GLOBAL) {
            return switch (r.nextInt(3)) {
                case 0 -> new Hint.KEdf(1 + r.nextInt(1024));
                case 1 -> new Hint.ActiveWindow(r.nextBoolean() ? -1 : r.nextLong());
                default -> new Hint.Timeslice(t, timeslice(r));
            };
        }
        return switch (r.nextInt(5)) {
            case 0 -> new Hint.Priority(t, priority(r));
            case 1 -> new Hint.Utilization(t, r.nextInt(101));
            case 2 -> new Hint.Timeslice(t, timeslice(r));
            case 3 -> new Hint.Deadline(t, Duration.ofNanos(r.nextLong(1, Duration.ofHours(1).toNanos() + 1)));
            default -> new Hint.Laxity(t, Duration.ofNanos(r.nextLong(Duration.ofHours(1).toNanos() + 1)), priority(r), priority(r));
        };
    }

    private static int priority(RandomGenerator r) {
        return r.nextInt(Hint.PRIORITY_MIN, Hint.PRIORITY_MAX + 1);
    }

    private static Duration timeslice(RandomGenerator r) {
        return Duration.ofNanos(r.nextLong(Hint.TIMESLICE_MIN.toNanos(), Hint.TIMESLICE_MAX.toNanos() + 1));
    }

    /** @return a queue id: small ones mostly, the edges of a long sometimes */
    public static long queueId(RandomGenerator r) {
        return switch (r.nextInt(8)) {
            case 0 -> 0;
            case 1 -> -1;
            case 2 -> r.nextBoolean() ? Long.MIN_VALUE : Long.MAX_VALUE;
            case 3 -> r.nextLong();
            default -> r.nextInt(64);
        };
    }

    /**
     * @return a string of valid Unicode whose UTF-8 form is at most {@link FrameCodec#MAX_STRING}
     *         bytes: empty, short or as long as allowed
     */
    public static String string(RandomGenerator r) {
        int budget = switch (r.nextInt(10)) {
            case 0 -> 0;
            case 1 -> FrameCodec.MAX_STRING;
            case 2 -> FrameCodec.MAX_STRING - r.nextInt(8);
            case 3, 4 -> r.nextInt(FrameCodec.MAX_STRING + 1);
            default -> r.nextInt(24);
        };
        StringBuilder s = new StringBuilder();
        int bytes = 0;
        while (true) {
            int cp = codePoint(r);
            int size = utf8Length(cp);
            if (bytes + size > budget) {
                // fill up with ASCII so that the limit itself is reached as often as a little below it
                while (bytes < budget && r.nextInt(4) != 0) {
                    s.append((char) (' ' + r.nextInt(95)));
                    bytes++;
                }
                return s.toString();
            }
            s.appendCodePoint(cp);
            bytes += size;
        }
    }

    private static int codePoint(RandomGenerator r) {
        return switch (r.nextInt(10)) {
            case 0 -> r.nextInt(0x20); // control characters, NUL included
            case 1 -> r.nextBoolean() ? 0x7f : 0x80 + r.nextInt(0x20);
            case 2 -> new int[] {0x202e, 0x200b, 0xfeff, 0x0301, 0xfffd, 0xffff, 0x2028}[r.nextInt(7)];
            case 3 -> 0x4e00 + r.nextInt(0x5000); // CJK
            case 4 -> 0x1f300 + r.nextInt(0x300); // emoji, outside the BMP
            case 5 -> 0x10000 + r.nextInt(0x100000 - 0x10000); // any astral plane
            case 6 -> {
                int cp = r.nextInt(0x10000);
                yield cp >= 0xd800 && cp <= 0xdfff ? 'x' : cp; // a BMP scalar value, never half a surrogate pair
            }
            default -> ' ' + r.nextInt(95);
        };
    }

    private static int utf8Length(int cp) {
        return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    }

    /** @return the UTF-8 length of a string */
    public static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
