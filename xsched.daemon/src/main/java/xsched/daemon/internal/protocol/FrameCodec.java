package xsched.daemon.internal.protocol;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import xsched.api.Hint;
import xsched.api.HintTarget;
import xsched.daemon.internal.protocol.Frame.TargetKind;

/**
 * Frames to bytes and back: a 4-byte big-endian length (of what follows), a 1-byte type, the
 * body. Every field is checked on the way in; anything malformed, oversized, truncated, of an
 * unknown type or with bytes left over is a {@link ProtocolException}. A codec speaks one protocol
 * version ({@link #speaking(int)} gives one for another): frames are the same in every version but
 * {@link Frame.State}, whose sequence number came with version 2, its {@link Frame.Reach} with 3,
 * its {@code arrived} flag and edge ages with 4 and its drained age with 5.
 */
public final class FrameCodec {
    /** The default largest frame, length header excluded. */
    public static final int DEFAULT_MAX_FRAME = 64 * 1024;
    /** The longest string field, in UTF-8 bytes. */
    public static final int MAX_STRING = 1024;

    static final int HELLO = 0x01;
    static final int OPEN = 0x02;
    static final int CLOSE = 0x03;
    static final int STATE = 0x04;
    static final int HINT = 0x05;
    static final int SET_POLICY = 0x06;
    static final int WELCOME = 0x81;
    static final int OPENED = 0x82;
    static final int SUSPEND = 0x83;
    static final int RESUME = 0x84;
    static final int CONFIGURE = 0x85;
    static final int REFUSED = 0x86;
    static final int POLICY_CHANGED = 0x87;

    private static final int HINT_PRIORITY = 1;
    private static final int HINT_UTILIZATION = 2;
    private static final int HINT_TIMESLICE = 3;
    private static final int HINT_DEADLINE = 4;
    private static final int HINT_LAXITY = 5;
    private static final int HINT_KEDF = 6;
    private static final int HINT_ACTIVE_WINDOW = 7;

    /** The first version whose State frames carry a sequence number. */
    private static final int SEQUENCED_STATES = 2;
    /** The first version whose State frames carry the queue's reach. */
    private static final int REACHING_STATES = 3;
    /** The first version whose State frames say whether and when the queue turned READY. */
    private static final int ARRIVING_STATES = 4;
    /** The first version whose State frames say when the queue's work last drained while suspended. */
    private static final int DRAINING_STATES = 5;

    private final int maxFrame;
    private final int version;

    /** @param maxFrame the largest frame accepted, length header excluded; speaks {@link Frame#VERSION} */
    public FrameCodec(int maxFrame) {
        this(maxFrame, Frame.VERSION);
    }

    /**
     * @param maxFrame the largest frame accepted, length header excluded
     * @param version  the protocol version spoken, 1…{@link Frame#VERSION}
     */
    public FrameCodec(int maxFrame, int version) {
        if (maxFrame < 64) {
            throw new IllegalArgumentException("the largest frame must be at least 64 bytes, not " + maxFrame);
        }
        if (version < 1 || version > Frame.VERSION) {
            throw new IllegalArgumentException("protocol version " + version + " (this build speaks 1…" + Frame.VERSION + ")");
        }
        this.maxFrame = maxFrame;
        this.version = version;
    }

    /**
     * @param version the protocol version agreed on a connection, 1…{@link Frame#VERSION}
     * @return a codec with this one's largest frame that speaks that version
     */
    public FrameCodec speaking(int version) {
        return version == this.version ? this : new FrameCodec(maxFrame, version);
    }

    /** @return the protocol version this codec speaks */
    public int version() {
        return version;
    }

    /** @return the frame's type code, as {@link Frame.Refused#requestType()} names requests */
    public static int typeOf(Frame frame) {
        return switch (frame) {
            case Frame.Hello h -> HELLO;
            case Frame.Open o -> OPEN;
            case Frame.Close c -> CLOSE;
            case Frame.State s -> STATE;
            case Frame.HintFrame h -> HINT;
            case Frame.SetPolicy p -> SET_POLICY;
            case Frame.Welcome w -> WELCOME;
            case Frame.Opened o -> OPENED;
            case Frame.Suspend s -> SUSPEND;
            case Frame.Resume r -> RESUME;
            case Frame.Configure c -> CONFIGURE;
            case Frame.Refused r -> REFUSED;
            case Frame.PolicyChanged p -> POLICY_CHANGED;
        };
    }

    /**
     * @param frame a frame; in version 1 a State's sequence number is left out
     * @return its bytes, length header included
     * @throws IllegalArgumentException when a string field is longer than {@link #MAX_STRING}
     */
    public byte[] encode(Frame frame) {
        Body b = new Body();
        b.u8(typeOf(frame));
        switch (frame) {
            case Frame.Hello h -> b.i32(Frame.MAGIC).u16(h.version()).i32(h.capabilities()).str(h.clientName());
            case Frame.Open o -> b.i64(o.queue()).str(o.name()).str(o.deviceId()).str(o.platform()).str(o.kind())
                    .str(o.deviceName()).u8(o.maxLevel()).u8(o.level()).i32(o.threshold()).i32(o.batchSize());
            case Frame.Close c -> b.i64(c.queue());
            case Frame.State s -> {
                int arrived = version >= ARRIVING_STATES && s.arrived() ? 4 : 0;
                b.i64(s.queue()).u8((s.ready() ? 1 : 0) | (s.suspended() ? 2 : 0) | arrived).u8(s.level()).i64(s.submitted()).i64(s.finished())
                        .i32(s.inFlight()).i32(s.pending());
                if (version >= SEQUENCED_STATES) {
                    b.i64(s.seq());
                }
                if (version >= REACHING_STATES) {
                    Frame.Reach r = s.reach();
                    b.u8(r.effectiveLevel()).u8(Frame.Reach.STOPS_AT.indexOf(r.stopsAt())).i32(r.threshold()).i32(r.batchSize())
                            .str(r.note());
                }
                if (version >= ARRIVING_STATES) {
                    b.i64(s.readyAgeNanos()).i64(s.idleAgeNanos());
                }
                if (version >= DRAINING_STATES) {
                    b.i64(s.drainedAgeNanos());
                }
            }
            case Frame.HintFrame h -> hint(b.u8(h.targetKind().ordinal()).i64(h.target()), h.hint());
            case Frame.SetPolicy p -> b.str(p.name());
            case Frame.Welcome w -> b.u16(w.version()).i32(w.capabilities()).i64(w.daemonPid()).i64(w.peerPid())
                    .i64(w.peerUid()).str(w.policy());
            case Frame.Opened o -> b.i64(o.queue()).i64(o.nodeId());
            case Frame.Suspend s -> b.i64(s.queue());
            case Frame.Resume r -> b.i64(r.queue()).u8(r.drop() ? 1 : 0);
            case Frame.Configure c -> b.i64(c.queue()).u8(c.level()).i32(c.threshold()).i32(c.batchSize());
            case Frame.Refused r -> b.u8(r.requestType()).i64(r.queue()).str(r.message());
            case Frame.PolicyChanged p -> b.str(p.name());
        }
        byte[] body = b.bytes();
        if (body.length > maxFrame) {
            throw new IllegalArgumentException("a " + frame.getClass().getSimpleName() + " frame of " + body.length
                    + " bytes exceeds the largest frame, " + maxFrame);
        }
        return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
    }

    private static void hint(Body b, Hint hint) {
        switch (hint) {
            case Hint.Priority p -> b.u8(HINT_PRIORITY).i32(p.priority());
            case Hint.Utilization u -> b.u8(HINT_UTILIZATION).i32(u.percent());
            case Hint.Timeslice t -> b.u8(HINT_TIMESLICE).i64(t.timeslice().toNanos());
            case Hint.Deadline d -> b.u8(HINT_DEADLINE).i64(d.deadline().toNanos());
            case Hint.Laxity l -> b.u8(HINT_LAXITY).i64(l.laxity().toNanos()).i32(l.priority()).i32(l.criticalPriority());
            case Hint.KEdf k -> b.u8(HINT_KEDF).i32(k.k());
            case Hint.ActiveWindow a -> b.u8(HINT_ACTIVE_WINDOW).i64(a.pid());
            // placement is local to the process that owns the device's contexts; RelayPolicy keeps these
            case Hint.Reservation r -> throw new IllegalArgumentException("a reservation hint is not sent to the node daemon: " + r);
        }
    }

    /**
     * Reads one frame.
     *
     * @param in a stream positioned at a frame's length
     * @return the frame, or null at a clean end of stream (between frames)
     * @throws ProtocolException when the frame breaks the protocol
     * @throws IOException       when reading fails or the stream ends inside a frame
     */
    public Frame read(InputStream in) throws IOException {
        DataInputStream data = in instanceof DataInputStream d ? d : new DataInputStream(in);
        int first = data.read();
        if (first < 0) {
            return null;
        }
        byte[] rest = new byte[3];
        data.readFully(rest);
        long length = ((long) first << 24) | ((rest[0] & 0xffL) << 16) | ((rest[1] & 0xffL) << 8) | (rest[2] & 0xffL);
        if (length < 1 || length > maxFrame) {
            throw new ProtocolException("a frame of " + length + " bytes (allowed: 1…" + maxFrame + ")");
        }
        byte[] body = new byte[(int) length];
        try {
            data.readFully(body);
        } catch (EOFException e) {
            throw new EOFException("the stream ended inside a frame of " + length + " bytes");
        }
        return decode(body);
    }

    /**
     * @param body a frame without its length header
     * @return the frame
     * @throws ProtocolException when it breaks the protocol
     */
    public Frame decode(byte[] body) throws ProtocolException {
        ByteBuffer in = ByteBuffer.wrap(body);
        try {
            int type = in.get() & 0xff;
            Frame frame = switch (type) {
                case HELLO -> hello(in);
                case OPEN -> new Frame.Open(in.getLong(), str(in), str(in), str(in), str(in), str(in), level(in, 1), level(in, 1),
                        positive(in.getInt(), "threshold"), positive(in.getInt(), "batch size"));
                case CLOSE -> new Frame.Close(in.getLong());
                case STATE -> state(in);
                case HINT -> hintFrame(in);
                case SET_POLICY -> new Frame.SetPolicy(str(in));
                case WELCOME -> new Frame.Welcome(in.getShort() & 0xffff, in.getInt(), in.getLong(), in.getLong(), in.getLong(), str(in));
                case OPENED -> new Frame.Opened(in.getLong(), in.getLong());
                case SUSPEND -> new Frame.Suspend(in.getLong());
                case RESUME -> new Frame.Resume(in.getLong(), flag(in.get()));
                case CONFIGURE -> new Frame.Configure(in.getLong(), level(in, 0), nonNegative(in.getInt(), "threshold"),
                        nonNegative(in.getInt(), "batch size"));
                case REFUSED -> new Frame.Refused(in.get() & 0xff, in.getLong(), str(in));
                case POLICY_CHANGED -> new Frame.PolicyChanged(str(in));
                default -> throw new ProtocolException("unknown frame type 0x" + Integer.toHexString(type));
            };
            if (in.hasRemaining()) {
                throw new ProtocolException(in.remaining() + " bytes left over after a " + frame.getClass().getSimpleName() + " frame");
            }
            return frame;
        } catch (BufferUnderflowException e) {
            throw new ProtocolException("a truncated frame of " + body.length + " bytes (type 0x"
                    + (body.length > 0 ? Integer.toHexString(body[0] & 0xff) : "?") + ")");
        } catch (IllegalArgumentException e) {
            throw new ProtocolException("a frame with a bad value: " + e.getMessage());
        }
    }

    private static Frame.Hello hello(ByteBuffer in) throws ProtocolException {
        int magic = in.getInt();
        if (magic != Frame.MAGIC) {
            throw new ProtocolException("not an xsched client: hello starts with 0x" + Integer.toHexString(magic));
        }
        return new Frame.Hello(in.getShort() & 0xffff, in.getInt(), str(in));
    }

    private Frame.State state(ByteBuffer in) throws ProtocolException {
        long queue = in.getLong();
        int flags = in.get() & 0xff;
        if ((flags & ~(version >= ARRIVING_STATES ? 7 : 3)) != 0) {
            throw new ProtocolException("unknown state flags 0x" + Integer.toHexString(flags));
        }
        boolean ready = (flags & 1) != 0;
        boolean suspended = (flags & 2) != 0;
        boolean arrived = (flags & 4) != 0;
        int level = level(in, 1);
        long submitted = nonNegative(in.getLong(), "submitted");
        long finished = nonNegative(in.getLong(), "finished");
        int inFlight = nonNegative(in.getInt(), "in flight");
        int pending = nonNegative(in.getInt(), "pending");
        long seq = version >= SEQUENCED_STATES ? sequenceNumber(in.getLong()) : 0;
        Frame.Reach reach = version >= REACHING_STATES ? reach(in) : Frame.Reach.UNKNOWN;
        long readyAge = version >= ARRIVING_STATES ? age(in, "ready") : -1;
        long idleAge = version >= ARRIVING_STATES ? age(in, "idle") : -1;
        long drainedAge = version >= DRAINING_STATES ? age(in, "drained") : -1;
        return new Frame.State(queue, ready, suspended, level, submitted, finished, inFlight, pending, seq, reach, arrived, readyAge,
                idleAge, drainedAge);
    }

    private static long age(ByteBuffer in, String edge) throws ProtocolException {
        long age = in.getLong();
        if (age < -1) {
            throw new ProtocolException(edge + " age " + age + " ns (must be -1 or more)");
        }
        return age;
    }

    private static Frame.Reach reach(ByteBuffer in) throws ProtocolException {
        int effective = level(in, 0);
        int stopsAt = in.get() & 0xff;
        if (stopsAt >= Frame.Reach.STOPS_AT.size()) {
            throw new ProtocolException("stops-at code " + stopsAt + " (allowed: 0…" + (Frame.Reach.STOPS_AT.size() - 1) + ")");
        }
        int threshold = nonNegative(in.getInt(), "threshold");
        int batch = nonNegative(in.getInt(), "batch size");
        return new Frame.Reach(effective, Frame.Reach.STOPS_AT.get(stopsAt), threshold, batch, str(in));
    }

    private static long sequenceNumber(long seq) throws ProtocolException {
        if (seq <= 0) {
            throw new ProtocolException("state sequence number " + seq + " (must be positive)");
        }
        return seq;
    }

    private static Frame.HintFrame hintFrame(ByteBuffer in) throws ProtocolException {
        int kind = in.get() & 0xff;
        if (kind >= TargetKind.values().length) {
            throw new ProtocolException("unknown hint target kind " + kind);
        }
        TargetKind targetKind = TargetKind.values()[kind];
        long target = in.getLong();
        HintTarget hintTarget = switch (targetKind) {
            case GLOBAL -> HintTarget.global();
            case OWN_QUEUE, NODE_QUEUE -> HintTarget.queue(target);
            case PROCESS -> HintTarget.process(target);
        };
        int type = in.get() & 0xff;
        Hint hint = switch (type) {
            case HINT_PRIORITY -> new Hint.Priority(hintTarget, in.getInt());
            case HINT_UTILIZATION -> new Hint.Utilization(hintTarget, in.getInt());
            case HINT_TIMESLICE -> new Hint.Timeslice(hintTarget, Duration.ofNanos(in.getLong()));
            case HINT_DEADLINE -> new Hint.Deadline(hintTarget, Duration.ofNanos(in.getLong()));
            case HINT_LAXITY -> new Hint.Laxity(hintTarget, Duration.ofNanos(in.getLong()), in.getInt(), in.getInt());
            case HINT_KEDF -> new Hint.KEdf(in.getInt());
            case HINT_ACTIVE_WINDOW -> new Hint.ActiveWindow(in.getLong());
            default -> throw new ProtocolException("unknown hint type " + type);
        };
        if ((hint instanceof Hint.KEdf || hint instanceof Hint.ActiveWindow) && targetKind != TargetKind.GLOBAL) {
            throw new ProtocolException("a " + hint.getClass().getSimpleName() + " hint is global; its target kind is " + targetKind);
        }
        return new Frame.HintFrame(targetKind, target, hint);
    }

    private static int level(ByteBuffer in, int min) throws ProtocolException {
        int level = in.get() & 0xff;
        if (level < min || level > 3) {
            throw new ProtocolException("level " + level + " (allowed: " + min + "…3)");
        }
        return level;
    }

    private static int positive(int value, String what) throws ProtocolException {
        if (value <= 0) {
            throw new ProtocolException(what + " " + value + " (must be positive)");
        }
        return value;
    }

    private static <N extends Number> N nonNegative(N value, String what) throws ProtocolException {
        if (value.longValue() < 0) {
            throw new ProtocolException(what + " " + value + " (must not be negative)");
        }
        return value;
    }

    private static boolean flag(byte b) throws ProtocolException {
        if (b != 0 && b != 1) {
            throw new ProtocolException("a flag byte of " + b + " (allowed: 0 or 1)");
        }
        return b == 1;
    }

    private static String str(ByteBuffer in) throws ProtocolException {
        int length = in.getShort() & 0xffff;
        if (length > MAX_STRING) {
            throw new ProtocolException("a string of " + length + " bytes (allowed: " + MAX_STRING + ")");
        }
        if (length > in.remaining()) {
            throw new BufferUnderflowException();
        }
        ByteBuffer bytes = in.slice(in.position(), length);
        in.position(in.position() + length);
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException("a string that is not UTF-8");
        }
    }

    /** A growing frame body. */
    private static final class Body {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(64);

        Body u8(int v) {
            out.write(v);
            return this;
        }

        Body u16(int v) {
            out.write(v >>> 8);
            out.write(v);
            return this;
        }

        Body i32(int v) {
            return u16(v >>> 16).u16(v);
        }

        Body i64(long v) {
            return i32((int) (v >>> 32)).i32((int) v);
        }

        Body str(String s) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            if (bytes.length > MAX_STRING) {
                throw new IllegalArgumentException("a string of " + bytes.length + " UTF-8 bytes exceeds " + MAX_STRING + ": '"
                        + s.substring(0, Math.min(40, s.length())) + "…'");
            }
            u16(bytes.length);
            out.write(bytes, 0, bytes.length);
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
