package xsched.daemon.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import xsched.api.Hint;
import xsched.api.HintTarget;
import xsched.daemon.internal.protocol.Frame.TargetKind;

/**
 * The wire format: every frame type round-trips, and every way a frame can break the protocol is
 * a {@link ProtocolException} that says what was wrong. Bodies of malformed frames are written
 * byte by byte here, not through the encoder, so that the checks on the way in are tested on their
 * own.
 */
class FrameCodecTest {
    private final FrameCodec codec = new FrameCodec(FrameCodec.DEFAULT_MAX_FRAME);

    /** One or more frames of every type, every hint variant, every target kind, and the edges of their fields. */
    static List<Frame> samples() {
        List<Frame> f = new ArrayList<>();
        f.add(new Frame.Hello(1, 0, "app"));
        f.add(new Frame.Hello(0xffff, -1, "ünï\u0000c😀de\u202e\n"));
        f.add(new Frame.Hello(0, Integer.MIN_VALUE, ""));
        f.add(new Frame.Open(7, "render", "cuda:0", "cuda", "gpu", "NVIDIA H200", 3, 2, 16, 8));
        f.add(new Frame.Open(Long.MIN_VALUE, "", "", "", "CPU", "", 1, 1, 1, Integer.MAX_VALUE));
        f.add(new Frame.Open(-1, "x".repeat(FrameCodec.MAX_STRING), "😀".repeat(FrameCodec.MAX_STRING / 4), "é".repeat(512),
                "npu", "\t\r\n", 2, 3, Integer.MAX_VALUE, 1));
        f.add(new Frame.Close(-1));
        f.add(new Frame.Close(Long.MAX_VALUE));
        f.add(new Frame.State(7, true, false, 3, 10, 4, 2, 4, 1));
        f.add(new Frame.State(Long.MAX_VALUE, false, true, 1, Long.MAX_VALUE, 0, Integer.MAX_VALUE, 0, Long.MAX_VALUE));
        f.add(new Frame.State(0, true, true, 2, 0, Long.MAX_VALUE, 0, Integer.MAX_VALUE, 42));
        f.add(new Frame.State(Long.MIN_VALUE, false, false, 1, 0, 0, 0, 0, 1L << 32));
        f.add(new Frame.State(9, true, false, 3, 12, 2, 8, 2, 5, new Frame.Reach(2, "command", 16, 8,
                "'spin<<<1,32>>>' cannot be stopped once it runs")));
        f.add(new Frame.State(9, false, true, 1, 0, 0, 0, 0, 6, new Frame.Reach(1, "launch", 1, 1, "")));
        for (TargetKind kind : List.of(TargetKind.OWN_QUEUE, TargetKind.NODE_QUEUE, TargetKind.PROCESS)) {
            long target = kind == TargetKind.PROCESS ? 4242 : kind == TargetKind.OWN_QUEUE ? 7 : Long.MIN_VALUE;
            HintTarget t = kind == TargetKind.PROCESS ? HintTarget.process(target) : HintTarget.queue(target);
            f.add(new Frame.HintFrame(kind, target, new Hint.Priority(t, Hint.PRIORITY_MIN)));
            f.add(new Frame.HintFrame(kind, target, new Hint.Priority(t, Hint.PRIORITY_MAX)));
            f.add(new Frame.HintFrame(kind, target, new Hint.Utilization(t, 0)));
            f.add(new Frame.HintFrame(kind, target, new Hint.Utilization(t, 100)));
            f.add(new Frame.HintFrame(kind, target, new Hint.Timeslice(t, Hint.TIMESLICE_MIN)));
            f.add(new Frame.HintFrame(kind, target, new Hint.Deadline(t, Duration.ofHours(1))));
            f.add(new Frame.HintFrame(kind, target, new Hint.Deadline(t, Duration.ofNanos(1))));
            f.add(new Frame.HintFrame(kind, target, new Hint.Laxity(t, Duration.ZERO, -5, 200)));
        }
        f.add(new Frame.HintFrame(TargetKind.GLOBAL, 0, new Hint.KEdf(1)));
        f.add(new Frame.HintFrame(TargetKind.GLOBAL, 99, new Hint.KEdf(1024)));
        f.add(new Frame.HintFrame(TargetKind.GLOBAL, 0, new Hint.ActiveWindow(-1)));
        f.add(new Frame.HintFrame(TargetKind.GLOBAL, 0, new Hint.ActiveWindow(Long.MAX_VALUE)));
        f.add(new Frame.HintFrame(TargetKind.GLOBAL, -3, new Hint.Timeslice(HintTarget.global(), Hint.TIMESLICE_MAX)));
        f.add(new Frame.SetPolicy("hpf"));
        f.add(new Frame.SetPolicy(""));
        f.add(new Frame.Welcome(1, 0, 100, 200, 1000, "hpf"));
        f.add(new Frame.Welcome(0xffff, -1, Long.MIN_VALUE, Long.MAX_VALUE, 0xffffffffL, ""));
        f.add(new Frame.Opened(7, 3));
        f.add(new Frame.Opened(Long.MIN_VALUE, -1));
        f.add(new Frame.Suspend(7));
        f.add(new Frame.Resume(7, true));
        f.add(new Frame.Resume(-7, false));
        f.add(new Frame.Configure(7, 0, 0, 0));
        f.add(new Frame.Configure(7, 3, Integer.MAX_VALUE, 8));
        f.add(new Frame.Refused(FrameCodec.SET_POLICY, 0, "no policy named 'x' is installed; installed: hpf"));
        f.add(new Frame.Refused(255, -5, ""));
        f.add(new Frame.PolicyChanged("edf"));
        f.add(new Frame.PolicyChanged(""));
        return f;
    }

    static Stream<Arguments> sampleArguments() {
        return samples().stream().map(frame -> Arguments.of(frame.getClass().getSimpleName(), frame));
    }

    @Test
    void theSamplesCoverEveryFrameTypeEveryHintVariantAndEveryTargetKind() {
        Set<Class<?>> frameTypes = new HashSet<>();
        collectRecords(Frame.class, frameTypes);
        assertThat(frameTypes).hasSize(13);
        assertThat(samples()).<Class<?>>extracting(Object::getClass).containsAll(frameTypes);

        Set<Class<?>> hintTypes = new HashSet<>();
        collectRecords(Hint.class, hintTypes);
        // a reservation stays in its process (RelayPolicy keeps it): not a frame, see the test below
        hintTypes.remove(Hint.Reservation.class);
        assertThat(samples()).filteredOn(Frame.HintFrame.class::isInstance).<Class<?>>extracting(f -> ((Frame.HintFrame) f).hint().getClass())
                .containsAll(hintTypes);
        assertThat(samples()).filteredOn(Frame.HintFrame.class::isInstance).extracting(f -> ((Frame.HintFrame) f).targetKind())
                .contains(TargetKind.values());
    }

    @Test
    void aReservationHintIsNotSentToTheDaemon() {
        Frame.HintFrame reserve = new Frame.HintFrame(TargetKind.OWN_QUEUE, 7, new Hint.Reservation(HintTarget.queue(7), 16, 0));
        assertThatThrownBy(() -> codec.encode(reserve)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not sent to the node daemon");
    }

    private static void collectRecords(Class<?> sealed, Set<Class<?>> into) {
        for (Class<?> sub : sealed.getPermittedSubclasses()) {
            if (sub.isRecord()) {
                into.add(sub);
            } else {
                collectRecords(sub, into);
            }
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("sampleArguments")
    void everyFrameRoundTripsThroughAStream(String type, Frame frame) throws IOException {
        byte[] bytes = codec.encode(frame);
        assertThat(ByteBuffer.wrap(bytes).getInt()).as("the length header counts what follows it").isEqualTo(bytes.length - 4);
        assertThat(bytes[4] & 0xff).as("the type byte").isEqualTo(FrameCodec.typeOf(frame));

        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        Frame back = codec.read(in);
        assertThat(back).isEqualTo(frame);
        if (frame instanceof Frame.HintFrame sent) {
            Frame.HintFrame got = (Frame.HintFrame) back;
            assertThat(got.hint()).as("the hint compares by value").isEqualTo(sent.hint()).isNotSameAs(sent.hint());
            assertThat(got.hint().target()).isEqualTo(sent.hint().target());
        }
        assertThat(in.available()).as("the frame is read to its end, not beyond").isZero();
        assertThat(codec.read(in)).as("a clean end of the stream after the frame").isNull();
        assertThat(codec.encode(back)).as("one encoding per frame").isEqualTo(bytes);
    }

    @Test
    void clientFramesHaveTypesBelow0x80AndServerFramesAbove() {
        for (Frame frame : samples()) {
            assertThat(FrameCodec.typeOf(frame) >= 0x80).as(frame.toString()).isEqualTo(frame instanceof Frame.FromServer);
        }
    }

    @Test
    void aStreamOfManyFramesReadsBackInOrderThenEndsCleanly() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Frame frame : samples()) {
            out.write(codec.encode(frame));
        }
        ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
        List<Frame> back = new ArrayList<>();
        Frame frame;
        while ((frame = codec.read(in)) != null) {
            back.add(frame);
        }
        assertThat(back).containsExactlyElementsOf(samples());
        assertThat(codec.read(in)).as("still at the end").isNull();
    }

    @Test
    void randomFramesRoundTrip() throws IOException {
        SplittableRandom r = new SplittableRandom(20250611);
        for (int i = 0; i < 20_000; i++) {
            Frame frame = RandomFrames.any(r);
            byte[] bytes = codec.encode(frame);
            assertThat(codec.read(new ByteArrayInputStream(bytes))).as("frame %d", i).isEqualTo(frame);
        }
    }

    // ---- the length header ----

    @Test
    void aFrameOfLengthZeroIsRefused() {
        assertThatThrownBy(() -> codec.read(stream(0, 0, 0, 0))).isExactlyInstanceOf(ProtocolException.class)
                .hasMessage("a frame of 0 bytes (allowed: 1…65536)");
    }

    @ParameterizedTest
    @ValueSource(longs = {FrameCodec.DEFAULT_MAX_FRAME + 1, 0x7fffffffL, 0x80000000L, 0xffffffffL})
    void aFrameLongerThanTheMaximumIsRefusedBeforeItsBodyIsRead(long length) {
        byte[] header = ByteBuffer.allocate(4).putInt((int) length).array();
        // no body follows: the codec must not wait for (or allocate) it
        assertThatThrownBy(() -> codec.read(new ByteArrayInputStream(header))).isExactlyInstanceOf(ProtocolException.class)
                .hasMessage("a frame of " + length + " bytes (allowed: 1…65536)");
    }

    @Test
    void theMaximumIsTheCodecsOwn() throws IOException {
        FrameCodec small = new FrameCodec(64);
        byte[] atMost = frameBytes(new Body(FrameCodec.SET_POLICY).str("x".repeat(61)).bytes());
        assertThat(small.read(new ByteArrayInputStream(atMost))).isEqualTo(new Frame.SetPolicy("x".repeat(61)));
        byte[] over = frameBytes(new Body(FrameCodec.SET_POLICY).str("x".repeat(62)).bytes());
        assertThatThrownBy(() -> small.read(new ByteArrayInputStream(over))).isInstanceOf(ProtocolException.class)
                .hasMessage("a frame of 65 bytes (allowed: 1…64)");
        assertThatThrownBy(() -> small.encode(new Frame.SetPolicy("x".repeat(62)))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a SetPolicy frame of 65 bytes exceeds the largest frame, 64");
        assertThatThrownBy(() -> new FrameCodec(63)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("63");
    }

    // ---- the type byte ----

    @Test
    void everyUnknownTypeIsRefused() {
        Set<Integer> known = new HashSet<>();
        samples().forEach(f -> known.add(FrameCodec.typeOf(f)));
        assertThat(known).hasSize(13);
        for (int type = 0; type < 256; type++) {
            if (known.contains(type)) {
                continue;
            }
            byte[] body = new byte[64];
            body[0] = (byte) type;
            assertRefused(body, "unknown frame type 0x" + Integer.toHexString(type));
        }
    }

    // ---- truncation and leftovers ----

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("sampleArguments")
    void everyPrefixOfABodyIsATruncatedFrame(String type, Frame frame) {
        byte[] body = bodyOf(frame);
        for (int n = 0; n < body.length; n++) {
            byte[] prefix = Arrays.copyOf(body, n);
            assertThatThrownBy(() -> codec.decode(prefix)).as("the first %d of %d bytes", n, body.length)
                    .isExactlyInstanceOf(ProtocolException.class).hasMessageStartingWith("a truncated frame of " + n + " bytes");
            if (n > 0) {
                // a length header that claims less than the frame has: the body read is cut short
                byte[] stream = frameBytes(prefix);
                assertThatThrownBy(() -> codec.read(new ByteArrayInputStream(stream))).isExactlyInstanceOf(ProtocolException.class)
                        .hasMessageContaining("truncated");
            }
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("sampleArguments")
    void theStreamEndingAnywhereInsideAFrameIsAnEofNotAProtocolError(String type, Frame frame) throws IOException {
        byte[] bytes = codec.encode(frame);
        assertThat(codec.read(new ByteArrayInputStream(bytes, 0, 0))).as("no byte at all: a clean end").isNull();
        for (int n = 1; n < bytes.length; n++) {
            int cut = n;
            assertThatThrownBy(() -> codec.read(new ByteArrayInputStream(bytes, 0, cut))).as("the first %d of %d bytes", n, bytes.length)
                    .isExactlyInstanceOf(EOFException.class);
        }
        assertThatThrownBy(() -> codec.read(new ByteArrayInputStream(bytes, 0, bytes.length - 1)))
                .hasMessage("the stream ended inside a frame of " + (bytes.length - 4) + " bytes");
    }

    @Test
    void aCleanEndBetweenFramesIsNull() throws IOException {
        byte[] one = codec.encode(new Frame.Close(1));
        byte[] two = Arrays.copyOf(one, one.length * 2);
        System.arraycopy(one, 0, two, one.length, one.length);
        ByteArrayInputStream in = new ByteArrayInputStream(two);
        assertThat(codec.read(in)).isEqualTo(new Frame.Close(1));
        assertThat(codec.read(in)).isEqualTo(new Frame.Close(1));
        assertThat(codec.read(in)).isNull();
        assertThat(codec.read(stream())).isNull();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("sampleArguments")
    void bytesLeftOverAfterAFrameAreRefused(String type, Frame frame) {
        byte[] body = bodyOf(frame);
        for (int extra : new int[] {1, 7}) {
            byte[] longer = Arrays.copyOf(body, body.length + extra);
            assertRefused(longer, extra + " bytes left over after a " + frame.getClass().getSimpleName() + " frame");
        }
    }

    // ---- the hello ----

    @ParameterizedTest
    @ValueSource(ints = {0x58534349, 0, -1, 0x47455420 /* "GET " */})
    void aHelloWithoutTheMagicIsRefused(int magic) {
        byte[] body = new Body(FrameCodec.HELLO).i32(magic).u16(1).i32(0).str("app").bytes();
        assertRefused(body, "not an xsched client: hello starts with 0x" + Integer.toHexString(magic));
    }

    // ---- strings ----

    static Stream<Arguments> badUtf8() {
        return Stream.of(
                Arguments.of("a lone continuation byte", new byte[] {(byte) 0x80}),
                Arguments.of("0xff", new byte[] {'a', (byte) 0xff, 'b'}),
                Arguments.of("a two-byte lead without its continuation", new byte[] {(byte) 0xc3, '('}),
                Arguments.of("an overlong NUL", new byte[] {(byte) 0xc0, (byte) 0x80}),
                Arguments.of("an overlong slash", new byte[] {(byte) 0xe0, (byte) 0x80, (byte) 0xaf}),
                Arguments.of("an encoded surrogate", new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}),
                Arguments.of("a sequence cut at the string's end", new byte[] {'o', 'k', (byte) 0xe2, (byte) 0x82}),
                Arguments.of("beyond U+10FFFF", new byte[] {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}),
                Arguments.of("a five-byte form", new byte[] {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badUtf8")
    void aStringThatIsNotUtf8IsRefusedInEveryStringField(String what, byte[] bad) {
        assertRefused(new Body(FrameCodec.HELLO).i32(Frame.MAGIC).u16(1).i32(0).raw16(bad).bytes(), "a string that is not UTF-8");
        assertRefused(new Body(FrameCodec.SET_POLICY).raw16(bad).bytes(), "a string that is not UTF-8");
        for (int field = 0; field < 5; field++) {
            Body open = new Body(FrameCodec.OPEN).i64(1);
            for (int i = 0; i < 5; i++) {
                if (i == field) {
                    open.raw16(bad);
                } else {
                    open.str(i == 3 ? "gpu" : "ok");
                }
            }
            assertRefused(open.u8(1).u8(1).i32(16).i32(8).bytes(), "a string that is not UTF-8");
        }
    }

    @Test
    void aStringLongerThanTheLimitIsRefusedWhetherItsBytesFollowOrNot() throws IOException {
        byte[] longest = "x".repeat(FrameCodec.MAX_STRING).getBytes(StandardCharsets.UTF_8);
        assertThat(codec.decode(new Body(FrameCodec.SET_POLICY).raw16(longest).bytes()))
                .isEqualTo(new Frame.SetPolicy("x".repeat(FrameCodec.MAX_STRING)));

        byte[] tooLong = Arrays.copyOf(longest, FrameCodec.MAX_STRING + 1);
        Arrays.fill(tooLong, (byte) 'x');
        assertRefused(new Body(FrameCodec.SET_POLICY).raw16(tooLong).bytes(), "a string of 1025 bytes (allowed: 1024)");
        assertRefused(new Body(FrameCodec.SET_POLICY).u16(0xffff).bytes(), "a string of 65535 bytes (allowed: 1024)");
        assertRefused(new Body(FrameCodec.REFUSED).u8(1).i64(1).u16(FrameCodec.MAX_STRING + 1).bytes(),
                "a string of 1025 bytes (allowed: 1024)");
    }

    @Test
    void aStringLengthBeyondTheFrameIsATruncatedFrame() {
        assertRefused(new Body(FrameCodec.SET_POLICY).u16(10).raw("abc".getBytes(StandardCharsets.US_ASCII)).bytes(), "truncated");
    }

    @Test
    void encodeRefusesStringsLongerThanTheLimitCountingUtf8Bytes() {
        String ok = "x".repeat(FrameCodec.MAX_STRING);
        assertThat(codec.encode(new Frame.Hello(1, 0, ok))).isNotEmpty();
        assertThat(codec.encode(new Frame.Hello(1, 0, "😀".repeat(FrameCodec.MAX_STRING / 4)))).isNotEmpty();

        assertThatThrownBy(() -> codec.encode(new Frame.Hello(1, 0, ok + "x"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a string of 1025 UTF-8 bytes exceeds 1024");
        // 513 characters, 1026 bytes
        assertThatThrownBy(() -> codec.encode(new Frame.SetPolicy("é".repeat(513)))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a string of 1026 UTF-8 bytes exceeds 1024");
        String tooLong = "😀".repeat(FrameCodec.MAX_STRING / 4 + 1);
        for (int field = 0; field < 5; field++) {
            String[] s = {"n", "d", "p", "gpu", "dn"};
            s[field] = tooLong;
            Frame open = new Frame.Open(1, s[0], s[1], s[2], s[3], s[4], 1, 1, 1, 1);
            assertThatThrownBy(() -> codec.encode(open)).as("string field %d of an open", field)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1028 UTF-8 bytes exceeds 1024");
        }
        assertThatThrownBy(() -> codec.encode(new Frame.Refused(1, 1, tooLong))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> codec.encode(new Frame.Welcome(1, 0, 1, 1, 1, tooLong))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> codec.encode(new Frame.PolicyChanged(tooLong))).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- levels, counters, flags ----

    private static Body open(int maxLevel, int level, int threshold, int batch) {
        return new Body(FrameCodec.OPEN).i64(1).str("q").str("host:0").str("host").str("cpu").str("Host").u8(maxLevel).u8(level)
                .i32(threshold).i32(batch);
    }

    /** A State body of this build's version, with a sequence number of 1 and an unknown reach. */
    private static Body state(int flags, int level, long submitted, long finished, int inFlight, int pending) {
        return unknownReach(stateOfVersion1(flags, level, submitted, finished, inFlight, pending).i64(1)).i64(-1).i64(-1).i64(-1);
    }

    private static Body unknownReach(Body state) {
        return state.u8(0).u8(0).i32(0).i32(0).str("");
    }

    /** A State body of protocol version 1: without the sequence number. */
    private static Body stateOfVersion1(int flags, int level, long submitted, long finished, int inFlight, int pending) {
        return new Body(FrameCodec.STATE).i64(1).u8(flags).u8(level).i64(submitted).i64(finished).i32(inFlight).i32(pending);
    }

    @Test
    void levelsOutOfRangeAreRefused() throws IOException {
        assertThat(codec.decode(open(3, 1, 1, 1).bytes())).isInstanceOf(Frame.Open.class);
        for (int bad : new int[] {0, 4, 0x80, 0xff}) {
            assertRefused(open(bad, 1, 16, 8).bytes(), "level " + bad + " (allowed: 1…3)");
            assertRefused(open(3, bad, 16, 8).bytes(), "level " + bad + " (allowed: 1…3)");
            assertRefused(state(0, bad, 0, 0, 0, 0).bytes(), "level " + bad + " (allowed: 1…3)");
        }
        assertThat(codec.decode(new Body(FrameCodec.CONFIGURE).i64(1).u8(0).i32(0).i32(0).bytes()))
                .as("level 0 in a configure means unchanged").isEqualTo(new Frame.Configure(1, 0, 0, 0));
        assertRefused(new Body(FrameCodec.CONFIGURE).i64(1).u8(4).i32(0).i32(0).bytes(), "level 4 (allowed: 0…3)");
    }

    @Test
    void negativeCountersAndWindowsAreRefused() {
        assertRefused(state(0, 1, -1, 0, 0, 0).bytes(), "submitted -1 (must not be negative)");
        assertRefused(state(0, 1, 0, Long.MIN_VALUE, 0, 0).bytes(), "finished " + Long.MIN_VALUE + " (must not be negative)");
        assertRefused(state(0, 1, 0, 0, -1, 0).bytes(), "in flight -1 (must not be negative)");
        assertRefused(state(0, 1, 0, 0, 0, Integer.MIN_VALUE).bytes(), "pending " + Integer.MIN_VALUE + " (must not be negative)");
        assertRefused(open(3, 1, 0, 8).bytes(), "threshold 0 (must be positive)");
        assertRefused(open(3, 1, -16, 8).bytes(), "threshold -16 (must be positive)");
        assertRefused(open(3, 1, 16, 0).bytes(), "batch size 0 (must be positive)");
        assertRefused(new Body(FrameCodec.CONFIGURE).i64(1).u8(0).i32(-1).i32(0).bytes(), "threshold -1 (must not be negative)");
        assertRefused(new Body(FrameCodec.CONFIGURE).i64(1).u8(0).i32(0).i32(-1).bytes(), "batch size -1 (must not be negative)");
    }

    @Test
    void unknownFlagsAreRefused() throws IOException {
        for (int flags = 0; flags < 8; flags++) {
            Frame.State s = (Frame.State) codec.decode(state(flags, 1, 0, 0, 0, 0).bytes());
            assertThat(s.ready()).isEqualTo((flags & 1) != 0);
            assertThat(s.suspended()).isEqualTo((flags & 2) != 0);
            assertThat(s.arrived()).isEqualTo((flags & 4) != 0);
        }
        assertRefused(codec.speaking(3), state(4, 1, 0, 0, 0, 0).bytes(), "unknown state flags 0x4");
        for (int flags : new int[] {8, 0x80, 0xff}) {
            assertRefused(state(flags, 1, 0, 0, 0, 0).bytes(), "unknown state flags 0x" + Integer.toHexString(flags));
        }
        for (int drop : new int[] {2, 0x7f}) {
            assertRefused(new Body(FrameCodec.RESUME).i64(1).u8(drop).bytes(), "a flag byte of " + drop + " (allowed: 0 or 1)");
        }
        assertRefused(new Body(FrameCodec.RESUME).i64(1).u8(0xff).bytes(), "(allowed: 0 or 1)");
    }

    // ---- versions: the State's sequence number ----

    @Test
    void aStateSequenceNumberThatIsNotPositiveIsRefused() throws IOException {
        assertThat(((Frame.State) codec.decode(unknownReach(stateOfVersion1(1, 1, 0, 0, 0, 0).i64(1)).i64(-1).i64(-1).i64(-1).bytes())).seq())
                .isEqualTo(1);
        for (long bad : new long[] {0, -1, Long.MIN_VALUE}) {
            assertRefused(unknownReach(stateOfVersion1(1, 1, 0, 0, 0, 0).i64(bad)).bytes(),
                    "state sequence number " + bad + " (must be positive)");
        }
    }

    // ---- version 3: the State's reach ----

    @Test
    void aStatesReachTravelsFromVersion3AndOlderVersionsLeaveItOut() throws IOException {
        Frame.Reach reach = new Frame.Reach(2, "part", 64, 16, "guarded 'gemm' stops between blocks");
        Frame.State sent = new Frame.State(1, true, false, 3, 40, 30, 9, 1, 7, reach);
        FrameCodec v3 = codec.speaking(3);
        byte[] three = unknownReach(stateOfVersion1(1, 3, 40, 30, 9, 1).i64(7)).bytes();
        assertThat(bodyOf(v3, sent)).as("version 3 appends the reach")
                .isEqualTo(stateOfVersion1(1, 3, 40, 30, 9, 1).i64(7).u8(2).u8(3).i32(64).i32(16).str(reach.note()).bytes());
        assertThat(v3.decode(bodyOf(v3, sent))).isEqualTo(sent);
        assertThat(codec.decode(bodyOf(codec, sent))).isEqualTo(sent);
        assertThat(((Frame.State) v3.decode(three)).reach()).isEqualTo(Frame.Reach.UNKNOWN);
        FrameCodec two = codec.speaking(2);
        assertThat(bodyOf(two, sent)).as("version 2 leaves it out").isEqualTo(stateOfVersion1(1, 3, 40, 30, 9, 1).i64(7).bytes());
        assertThat(((Frame.State) two.decode(bodyOf(two, sent))).reach()).as("and reads it back unknown").isEqualTo(Frame.Reach.UNKNOWN);
        assertRefused(two, three, "left over after a State frame");
        assertRefused(three, "a truncated frame of " + three.length + " bytes (type 0x4)");
    }

    // ---- version 4: whether and when the queue turned READY ----

    @Test
    void aStatesArrivalAndEdgeAgesTravelFromVersion4AndOlderVersionsLeaveThemOut() throws IOException {
        Frame.State sent = new Frame.State(1, false, true, 3, 40, 30, 0, 0, 7, Frame.Reach.UNKNOWN, true, 123_456, 789);
        FrameCodec four = codec.speaking(4);
        assertThat(bodyOf(four, sent)).as("version 4 sets the third flag and appends the ages")
                .isEqualTo(unknownReach(stateOfVersion1(4 | 2, 3, 40, 30, 0, 0).i64(7)).i64(123_456).i64(789).bytes());
        assertThat(four.decode(bodyOf(four, sent))).isEqualTo(sent);
        FrameCodec three = codec.speaking(3);
        assertThat(bodyOf(three, sent)).as("version 3 leaves them out")
                .isEqualTo(unknownReach(stateOfVersion1(2, 3, 40, 30, 0, 0).i64(7)).bytes());
        Frame.State old = (Frame.State) three.decode(bodyOf(three, sent));
        assertThat(old.arrived()).as("and reads it back not arrived").isFalse();
        assertThat(old.readyAgeNanos()).as("at no known age").isEqualTo(-1);
        assertThat(old.idleAgeNanos()).isEqualTo(-1);
        for (long bad : new long[] {-2, Long.MIN_VALUE}) {
            assertRefused(unknownReach(stateOfVersion1(1, 3, 0, 0, 0, 0).i64(1)).i64(bad).i64(-1).bytes(), "ready age " + bad + " ns (must be -1 or more)");
            assertRefused(unknownReach(stateOfVersion1(1, 3, 0, 0, 0, 0).i64(1)).i64(-1).i64(bad).bytes(), "idle age " + bad + " ns (must be -1 or more)");
        }
    }

    // ---- version 5: when the queue's work last drained while suspended ----

    @Test
    void aStatesDrainedAgeTravelsFromVersion5AndVersion4LeavesItOut() throws IOException {
        Frame.State sent = new Frame.State(1, true, true, 1, 40, 30, 1, 3, 7, Frame.Reach.UNKNOWN, false, 5_000, -1, 321);
        assertThat(bodyOf(codec, sent)).as("version 5 appends the drained age")
                .isEqualTo(unknownReach(stateOfVersion1(1 | 2, 1, 40, 30, 1, 3).i64(7)).i64(5_000).i64(-1).i64(321).bytes());
        assertThat(codec.decode(bodyOf(codec, sent))).isEqualTo(sent);
        FrameCodec four = codec.speaking(4);
        assertThat(bodyOf(four, sent)).as("version 4 leaves it out")
                .isEqualTo(unknownReach(stateOfVersion1(1 | 2, 1, 40, 30, 1, 3).i64(7)).i64(5_000).i64(-1).bytes());
        assertThat(((Frame.State) four.decode(bodyOf(four, sent))).drainedAgeNanos()).as("and reads it back as none").isEqualTo(-1);
        assertRefused(four, bodyOf(codec, sent), "8 bytes left over after a State frame");
        for (long bad : new long[] {-2, Long.MIN_VALUE}) {
            assertRefused(unknownReach(stateOfVersion1(1, 3, 0, 0, 0, 0).i64(1)).i64(-1).i64(-1).i64(bad).bytes(),
                    "drained age " + bad + " ns (must be -1 or more)");
        }
    }

    @Test
    void aReachOutOfRangeIsRefused() {
        Body ok = stateOfVersion1(1, 3, 0, 0, 0, 0).i64(1);
        assertRefused(stateOfVersion1(1, 3, 0, 0, 0, 0).i64(1).u8(4).u8(1).i32(1).i32(1).str("").bytes(), "level 4 (allowed: 0…3)");
        assertRefused(stateOfVersion1(1, 3, 0, 0, 0, 0).i64(1).u8(1).u8(5).i32(1).i32(1).str("").bytes(),
                "stops-at code 5 (allowed: 0…4)");
        assertRefused(stateOfVersion1(1, 3, 0, 0, 0, 0).i64(1).u8(1).u8(1).i32(-1).i32(1).str("").bytes(),
                "threshold -1 (must not be negative)");
        assertRefused(ok.u8(1).u8(1).i32(1).i32(Integer.MIN_VALUE).str("").bytes(), "batch size " + Integer.MIN_VALUE + " (must not be negative)");
        assertThatThrownBy(() -> new Frame.Reach(1, "somewhere", 1, 1, "")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stops at 'somewhere'");
    }

    @Test
    void versionOneStatesHaveNoSequenceNumberAndEveryOtherFrameIsTheSameInBothVersions() throws IOException {
        FrameCodec one = codec.speaking(1);
        assertThat(one.version()).isEqualTo(1);
        assertThat(codec.version()).isEqualTo(Frame.VERSION);
        Frame.State sent = new Frame.State(1, true, false, 2, 5, 3, 0, 0, 9);
        byte[] v1 = stateOfVersion1(1, 2, 5, 3, 0, 0).bytes();
        assertThat(bodyOf(one, sent)).as("version 1 leaves the number out").isEqualTo(v1);
        assertThat(one.decode(v1)).as("and reads it back as 0").isEqualTo(new Frame.State(1, true, false, 2, 5, 3, 0, 0, 0));
        FrameCodec two = codec.speaking(2);
        assertThat(bodyOf(two, sent)).as("version 2 appends it").isEqualTo(stateOfVersion1(1, 2, 5, 3, 0, 0).i64(9).bytes());

        // a State of the other version is a violation that says what is wrong
        assertRefused(two, v1, "a truncated frame of " + v1.length + " bytes (type 0x4)");
        assertRefused(one, bodyOf(two, sent), "8 bytes left over after a State frame");

        for (Frame frame : samples()) {
            if (!(frame instanceof Frame.State)) {
                assertThat(one.encode(frame)).as(frame.toString()).isEqualTo(codec.encode(frame));
                assertThat(one.decode(bodyOf(one, frame))).isEqualTo(frame);
            }
        }
    }

    @Test
    void aCodecSpeaksOnlyTheVersionsOfThisBuild() {
        assertThat(codec.speaking(Frame.VERSION)).isSameAs(codec);
        for (int bad : new int[] {0, -1, Frame.VERSION + 1}) {
            assertThatThrownBy(() -> codec.speaking(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("protocol version " + bad + " (this build speaks 1…" + Frame.VERSION + ")");
        }
    }

    // ---- hints ----

    private static Body hint(int targetKind, long target, int hintType) {
        return new Body(FrameCodec.HINT).u8(targetKind).i64(target).u8(hintType);
    }

    @Test
    void unknownHintTargetKindsAndHintTypesAreRefused() {
        for (int kind : new int[] {4, 5, 0x80, 0xff}) {
            assertRefused(hint(kind, 1, 1).i32(5).bytes(), "unknown hint target kind " + kind);
        }
        for (int type : new int[] {0, 8, 0x81, 0xff}) {
            assertRefused(hint(TargetKind.OWN_QUEUE.ordinal(), 1, type).i32(5).bytes(), "unknown hint type " + type);
        }
    }

    @Test
    void aGlobalOnlyHintWithAQueueOrProcessTargetIsRefused() {
        for (TargetKind kind : List.of(TargetKind.OWN_QUEUE, TargetKind.NODE_QUEUE, TargetKind.PROCESS)) {
            assertRefused(hint(kind.ordinal(), 7, 6).i32(2).bytes(), "a KEdf hint is global; its target kind is " + kind);
            assertRefused(hint(kind.ordinal(), 7, 7).i64(1234).bytes(), "a ActiveWindow hint is global; its target kind is " + kind);
        }
    }

    @Test
    void aQueueOnlyHintWithTheGlobalTargetIsRefused() {
        int global = TargetKind.GLOBAL.ordinal();
        assertRefused(hint(global, 0, 1).i32(5).bytes(), "a frame with a bad value: priority applies to a queue or a process, not globally");
        assertRefused(hint(global, 0, 2).i32(50).bytes(), "utilization applies to a queue or a process, not globally");
        assertRefused(hint(global, 0, 4).i64(1_000_000).bytes(), "deadline applies to a queue or a process, not globally");
        assertRefused(hint(global, 0, 5).i64(1_000_000).i32(1).i32(2).bytes(), "laxity applies to a queue or a process, not globally");
    }

    @Test
    void hintValuesOutOfRangeAreRefusedWithTheHintsOwnMessage() {
        int own = TargetKind.OWN_QUEUE.ordinal();
        int process = TargetKind.PROCESS.ordinal();
        assertRefused(hint(own, 7, 1).i32(1000).bytes(), "a frame with a bad value: priority must be in -255…255, not 1000");
        assertRefused(hint(process, 7, 1).i32(-256).bytes(), "priority must be in -255…255, not -256");
        assertRefused(hint(own, 7, 2).i32(101).bytes(), "utilization must be in 0…100 percent, not 101");
        assertRefused(hint(own, 7, 2).i32(-1).bytes(), "utilization must be in 0…100 percent, not -1");
        assertRefused(hint(own, 7, 3).i64(99_999).bytes(), "timeslice must be in");
        assertRefused(hint(TargetKind.GLOBAL.ordinal(), 0, 3).i64(Long.MIN_VALUE).bytes(), "timeslice must be in");
        assertRefused(hint(own, 7, 3).i64(10_000_000_001L).bytes(), "timeslice must be in");
        assertRefused(hint(own, 7, 4).i64(0).bytes(), "deadline must be in");
        assertRefused(hint(own, 7, 4).i64(Duration.ofHours(1).toNanos() + 1).bytes(), "deadline must be in");
        assertRefused(hint(own, 7, 5).i64(-1).i32(1).i32(2).bytes(), "laxity must be in");
        assertRefused(hint(own, 7, 5).i64(1).i32(1000).i32(2).bytes(), "priority must be in -255…255, not 1000");
        assertRefused(hint(own, 7, 5).i64(1).i32(1).i32(-1000).bytes(), "priority must be in -255…255, not -1000");
        assertRefused(hint(TargetKind.GLOBAL.ordinal(), 0, 6).i32(0).bytes(), "k must be in 1…1024, not 0");
        assertRefused(hint(TargetKind.GLOBAL.ordinal(), 0, 6).i32(1025).bytes(), "k must be in 1…1024, not 1025");
    }

    // ---- helpers ----

    private byte[] bodyOf(Frame frame) {
        return bodyOf(codec, frame);
    }

    private static byte[] bodyOf(FrameCodec codec, Frame frame) {
        byte[] bytes = codec.encode(frame);
        return Arrays.copyOfRange(bytes, 4, bytes.length);
    }

    private static byte[] frameBytes(byte[] body) {
        return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
    }

    private static ByteArrayInputStream stream(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return new ByteArrayInputStream(b);
    }

    /** Both ways in, {@link FrameCodec#decode} and {@link FrameCodec#read}, refuse the body with a message containing {@code why}. */
    private void assertRefused(byte[] body, String why) {
        assertRefused(codec, body, why);
    }

    /** As {@link #assertRefused(byte[], String)}, by a codec of some version. */
    private static void assertRefused(FrameCodec codec, byte[] body, String why) {
        assertThatThrownBy(() -> codec.decode(body)).isExactlyInstanceOf(ProtocolException.class).hasMessageContaining(why);
        ByteArrayInputStream in = new ByteArrayInputStream(frameBytes(body));
        assertThatThrownBy(() -> codec.read(in)).isExactlyInstanceOf(ProtocolException.class).hasMessageContaining(why);
        assertThat(in.available()).as("the refused frame was read whole").isZero();
    }

    /** A frame body written field by field, right or wrong. */
    private static final class Body {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Body(int type) {
            out.write(type);
        }

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

        Body raw(byte[] bytes) {
            out.writeBytes(bytes);
            return this;
        }

        /** A string field holding exactly these bytes. */
        Body raw16(byte[] bytes) {
            return u16(bytes.length).raw(bytes);
        }

        Body str(String s) {
            return raw16(s.getBytes(StandardCharsets.UTF_8));
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
