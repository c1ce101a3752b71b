package xsched.daemon.internal.server;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import xsched.daemon.internal.protocol.Frame;

/** What the fuzzer counts, over every connection. */
final class FuzzStats {
    /** Frames drawn (and probes), sent or not. */
    final LongAdder planned = new LongAdder();
    /** Frames the socket took (the probes of well-behaved connections included, terminators not). */
    final LongAdder frames = new LongAdder();
    final LongAdder bytes = new LongAdder();
    final LongAdder connections = new LongAdder();
    final LongAdder closedByDaemon = new LongAdder();
    final LongAdder closedByUs = new LongAdder();
    final LongAdder wellFormed = new LongAdder();
    final LongAdder snapshots = new LongAdder();
    final Map<String, LongAdder> replies = new ConcurrentHashMap<>();

    FuzzStats() {
        for (String type : List.of("Welcome", "Opened", "Refused", "Suspend", "Resume", "Configure", "PolicyChanged")) {
            replies.put(type, new LongAdder());
        }
    }

    void reply(Frame frame) {
        replies.computeIfAbsent(frame.getClass().getSimpleName(), k -> new LongAdder()).increment();
    }

    String replies() {
        StringBuilder s = new StringBuilder();
        replies.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> s.append(s.isEmpty() ? "" : ", ").append(e.getValue().sum()).append(' ').append(e.getKey()));
        return s.toString();
    }
}
