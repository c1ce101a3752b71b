package xsched.run.agent;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import xsched.backend.cuda.ApplicationCall;

/**
 * The Java handlers of the entry points whose calls go through the stream's XQueue ({@link
 * AppStreams}): kernel launches, graph launches, asynchronous copies and memsets; stream
 * destruction, which closes the stream's queue first; and stream and context synchronization, after
 * which the queues soon learn, off the program's thread, that their work is done (so a periodic
 * job's queue goes idle when the job ends, not at the queue's next look); and the start of a
 * stream capture, before which the
 * stream's queue finishes its work (nothing of xsched's may touch a stream while it is captured:
 * an event xsched recorded there and then queried would invalidate the capture). Every other entry point of the interposer gets no
 * handler: its calls go straight to the driver, in order behind what was launched.
 *
 * <p>Handles and pointers travel as {@code long} (LP64), which spares an object per argument. A
 * handler never lets an exception escape into the program (an escaping one would end the process):
 * whatever goes wrong, the call is made exactly once, natively if need be.
 */
final class QueuedEntries {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final int CUDA_ERROR_UNKNOWN = 999;
    /** Where {@code CUlaunchConfig.hStream} is: after seven unsigned ints, 8-aligned. */
    private static final long LAUNCH_CONFIG_STREAM = 32;

    /** What kinds of entry get a handler, by the driver's base name (no {@code _ptsz}). */
    enum Kind {
        LAUNCH_KERNEL("cuLaunchKernel", "launchKernel", true, FunctionDescriptor.of(JAVA_INT, JAVA_LONG,
                JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG)),
        LAUNCH_KERNEL_EX("cuLaunchKernelEx", "launchKernelEx", true, FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG)),
        COPY_HTOD("cuMemcpyHtoDAsync_v2", "copy", true, FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG)),
        COPY_DTOH("cuMemcpyDtoHAsync_v2", "copy", true, FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG)),
        MEMSET_D8("cuMemsetD8Async", "memsetD8", true, FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_BYTE, JAVA_LONG, JAVA_LONG)),
        GRAPH_LAUNCH("cuGraphLaunch", "graphLaunch", true, FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG)),
        STREAM_DESTROY("cuStreamDestroy_v2", "streamDestroy", false, FunctionDescriptor.of(JAVA_INT, JAVA_LONG)),
        STREAM_SYNCHRONIZE("cuStreamSynchronize", "streamSynchronize", false, FunctionDescriptor.of(JAVA_INT, JAVA_LONG)),
        CONTEXT_SYNCHRONIZE("cuCtxSynchronize", "contextSynchronize", false, FunctionDescriptor.of(JAVA_INT)),
        CONTEXT_SYNCHRONIZE_V2("cuCtxSynchronize_v2", "contextSynchronizeV2", false, FunctionDescriptor.of(JAVA_INT, JAVA_LONG)),
        BEGIN_CAPTURE("cuStreamBeginCapture_v2", "beginCapture", false, FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT));

        final String base;
        final String handler;
        /** Whether its calls may take their stream's direct lane: launches a queue makes at once. */
        final boolean laned;
        final FunctionDescriptor signature;
        final MethodHandle downcall;

        Kind(String base, String handler, boolean laned, FunctionDescriptor signature) {
            this.base = base;
            this.handler = handler;
            this.laned = laned;
            this.signature = signature;
            this.downcall = LINKER.downcallHandle(signature);
        }

        static Optional<Kind> of(String entry) {
            String base = entry.endsWith("_ptsz") ? entry.substring(0, entry.length() - 5) : entry;
            return Arrays.stream(values()).filter(k -> k.base.equals(base)).findFirst();
        }
    }

    /** One entry of the interposer's table with a handler: its real function, learned on first use. */
    static final class Slot {
        final Interposer table;
        final int entry;
        final String function;
        final boolean perThread;
        final MethodHandle downcall;
        /** Where this slot's calls go: null for the program's entries ({@link #install}), the warm-up's own for its slots. */
        final AppStreams routing;
        private volatile MemorySegment real;

        Slot(Interposer table, int entry, String function, Kind kind) {
            this(table, entry, function, kind, null);
        }

        private Slot(Interposer table, int entry, String function, Kind kind, AppStreams routing) {
            this.table = table;
            this.entry = entry;
            this.function = function;
            this.perThread = function.endsWith("_ptsz");
            this.downcall = kind.downcall;
            this.routing = routing;
        }

        /** A slot of no entry, for the warm-up: its calls go to {@code routing}, its "real" function is {@code real}. */
        Slot(Interposer table, Kind kind, MemorySegment real, AppStreams routing) {
            this(table, -1, kind.base, kind, routing);
            this.real = real;
        }

        AppStreams streams() {
            return routing != null ? routing : streams;
        }

        /** The interposer calls a handler only once the real function is known, and it never changes after. */
        MemorySegment real() {
            MemorySegment r = real;
            if (r == null) {
                r = table.real(entry);
                real = r;
            }
            return r;
        }
    }

    private static volatile AppStreams streams;

    private QueuedEntries() {
    }

    /**
     * Installs a handler for every entry of the table that has a kind.
     *
     * @param table   the interposer's table
     * @param routing where the calls go
     * @param lanes   whether the launches may take their streams' direct lanes (which {@code routing} gives)
     * @return how many entries got a handler
     */
    static int install(Interposer table, AppStreams routing, boolean lanes) {
        streams = routing;
        int installed = 0;
        for (int i = 0; i < table.entries(); i++) {
            String name = table.name(i);
            Optional<Kind> kind = Kind.of(name);
            if (kind.isPresent()) {
                table.install(i, upcall(new Slot(table, i, name, kind.get()), kind.get(), Arena.global()));
                if (lanes && kind.get().laned) {
                    table.markLane(i);
                }
                installed++;
            }
        }
        return installed;
    }

    /**
     * The warm-up ({@link WarmUp}), before {@link #install}: calls the handlers of a kernel launch, a
     * graph launch, a stream synchronize and a context synchronize as the interposer does, through
     * upcall stubs, with functions of the interposer that do nothing as the real ones, on {@code
     * stream} through {@code warm}. With a lane, a launch that finds a credit in it skips the handler
     * as a wrapper of the interposer does, so the handlers are called as for a program with lanes:
     * when the lane is spent. Throws when a call does not return success.
     *
     * @param warm   where the calls go (the program's own calls never do)
     * @param table  the interposer
     * @param stream a stream of the warm-up's own
     * @param calls  how many launches go through the handlers
     * @param lane   the warm-up stream's lane in {@code warm}, or null for none
     */
    static void warmUp(AppStreams warm, Interposer table, long stream, int calls, WarmLane lane) {
        try (Arena arena = Arena.ofConfined()) {
            MethodHandle launch = throughStub(table, Kind.LAUNCH_KERNEL, "xsched_nop_launch_kernel", warm, arena);
            MethodHandle graph = throughStub(table, Kind.GRAPH_LAUNCH, "xsched_nop_graph_launch", warm, arena);
            MethodHandle sync = throughStub(table, Kind.STREAM_SYNCHRONIZE, "xsched_nop_stream_synchronize", warm, arena);
            // cuCtxSynchronize_v2 takes one handle and returns a status, as a stream synchronize does
            MethodHandle syncAll = throughStub(table, Kind.CONTEXT_SYNCHRONIZE_V2, "xsched_nop_stream_synchronize", warm, arena);
            for (int i = 1; i <= calls; i++) {
                while (lane != null && lane.take()) {
                    // a launch the interposer would make itself; the queue counts it when it next looks
                }
                int rc = i % 8 == 0 ? (int) graph.invokeExact(0L, stream) : (int) launch.invokeExact(0L, 1, 1, 1, 1, 1, 1, 0, stream, 0L, 0L);
                if (rc == 0 && (i % 16 == 0 || i == calls)) {
                    rc = i % 32 == 0 ? (int) syncAll.invokeExact(0L) : (int) sync.invokeExact(stream);
                }
                if (rc != 0) {
                    throw new IllegalStateException("warm-up call " + i + " returned " + rc);
                }
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static MethodHandle throughStub(Interposer table, Kind kind, String nothing, AppStreams warm, Arena arena) {
        return LINKER.downcallHandle(upcall(new Slot(table, kind, table.function(nothing), warm), kind, arena), kind.signature);
    }

    private static MemorySegment upcall(Slot slot, Kind kind, Arena arena) {
        try {
            MethodHandle handler = MethodHandles.lookup().findStatic(QueuedEntries.class, kind.handler,
                    kind.signature.toMethodType().insertParameterTypes(0, Slot.class));
            return LINKER.upcallStub(MethodHandles.insertArguments(handler, 0, slot), kind.signature, arena);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("no handler " + kind.handler + " for " + slot.function, e);
        }
    }

    /** Runs an intercepted call through its stream's queue, making it exactly once whatever happens. */
    private static int scheduled(Slot slot, long stream, NativeCall call) {
        ApplicationCall.markApplicationThread();
        OnceCall once = new OnceCall(call);
        try {
            return slot.streams().call(slot.function, stream, slot.perThread, once);
        } catch (Throwable t) {
            Say.once("scheduling " + slot.function + " failed, the call was made natively: " + t);
            return once.made ? CUDA_ERROR_UNKNOWN : once.callChecked();
        }
    }

    /** A call that remembers it was made. */
    private static final class OnceCall implements NativeCall {
        private final NativeCall call;
        volatile boolean made;

        OnceCall(NativeCall call) {
            this.call = call;
        }

        @Override
        public int call() throws Throwable {
            made = true;
            return call.call();
        }
    }

    // The handlers, one per kind, with the entry point's C signature after the slot.

    static int launchKernel(Slot s, long f, int gx, int gy, int gz, int bx, int by, int bz, int shared, long stream, long params,
            long extra) {
        return scheduled(s, stream, () -> (int) s.downcall.invokeExact(s.real(), f, gx, gy, gz, bx, by, bz, shared, stream, params, extra));
    }

    static int launchKernelEx(Slot s, long config, long f, long params, long extra) {
        NativeCall call = () -> (int) s.downcall.invokeExact(s.real(), config, f, params, extra);
        if (config == 0) {
            return call.callChecked(); // the driver says what is wrong
        }
        long stream = MemorySegment.ofAddress(config).reinterpret(LAUNCH_CONFIG_STREAM + 8).get(JAVA_LONG, LAUNCH_CONFIG_STREAM);
        return scheduled(s, stream, call);
    }

    static int copy(Slot s, long dst, long src, long bytes, long stream) {
        return scheduled(s, stream, () -> (int) s.downcall.invokeExact(s.real(), dst, src, bytes, stream));
    }

    static int memsetD8(Slot s, long dst, byte value, long count, long stream) {
        return scheduled(s, stream, () -> (int) s.downcall.invokeExact(s.real(), dst, value, count, stream));
    }

    static int graphLaunch(Slot s, long graph, long stream) {
        return scheduled(s, stream, () -> (int) s.downcall.invokeExact(s.real(), graph, stream));
    }

    static int streamSynchronize(Slot s, long stream) {
        return synchronize(s.streams(), () -> s.streams().beforeStreamSync(stream, s.perThread),
                () -> (int) s.downcall.invokeExact(s.real(), stream));
    }

    static int contextSynchronize(Slot s) {
        return synchronize(s.streams(), () -> s.streams().beforeContextSync(), () -> (int) s.downcall.invokeExact(s.real()));
    }

    static int contextSynchronizeV2(Slot s, long context) {
        return synchronize(s.streams(), () -> s.streams().beforeContextSync(), () -> (int) s.downcall.invokeExact(s.real(), context));
    }

    /** Marks what the application's synchronize will cover, makes it, and tells the marked queues when it succeeded. */
    private static int synchronize(AppStreams in, Supplier<List<AppStreams.SyncMark>> before, NativeCall call) {
        ApplicationCall.markApplicationThread();
        List<AppStreams.SyncMark> marks = marks(before);
        return synchronizedThrough(in, marks, call.callChecked());
    }

    private static List<AppStreams.SyncMark> marks(Supplier<List<AppStreams.SyncMark>> take) {
        try {
            return take.get();
        } catch (Throwable t) {
            Say.once("marking the queues before a synchronize failed; they find out by themselves: " + t);
            return List.of();
        }
    }

    /** After the application's synchronize: when it succeeded, the marked queues learn that their work through the marks is done. */
    private static int synchronizedThrough(AppStreams in, List<AppStreams.SyncMark> marks, int rc) {
        if (rc == 0 && !marks.isEmpty()) {
            try {
                in.synchronizedThrough(marks);
            } catch (Throwable t) {
                Say.once("telling the queues their work was synchronized failed: " + t);
            }
        }
        return rc;
    }

    static int beginCapture(Slot s, long stream, int mode) {
        ApplicationCall.markApplicationThread();
        try {
            streams.beforeCapture(stream, s.perThread);
        } catch (Throwable t) {
            Say.once("settling a stream's queue before its capture failed: " + t);
        }
        return ((NativeCall) () -> (int) s.downcall.invokeExact(s.real(), stream, mode)).callChecked();
    }

    static int streamDestroy(Slot s, long stream) {
        ApplicationCall.markApplicationThread();
        try {
            streams.destroyed(stream);
        } catch (Throwable t) {
            Say.once("closing the queue of a destroyed stream failed: " + t);
        }
        return ((NativeCall) () -> (int) s.downcall.invokeExact(s.real(), stream)).callChecked();
    }
}
