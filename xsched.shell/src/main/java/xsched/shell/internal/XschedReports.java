package xsched.shell.internal;

import java.util.List;
import java.util.Locale;
import xsched.api.LaunchConfig;
import xsched.api.PreemptLevel;
import xsched.api.XQueue;
import xsched.api.Xsched;
import xsched.api.dto.QueueDTO;
import xsched.api.dto.RuntimeDTO;

/**
 * What the {@code xsched:*} commands answer: each parses its arguments, calls the runtime and
 * formats the runtime DTO as text; bad arguments give a usage message instead of throwing.
 * Names, reasons and echoed arguments are escaped ({@link TerminalText}), in tables by
 * {@link TextTable}. {@link XschedCommands} prints the answers.
 */
final class XschedReports {
    static final long TOP_MIN_INTERVAL_MS = 50;
    static final long TOP_MAX_INTERVAL_MS = 3_600_000;
    static final String TOP_SYNTAX = "[refreshes ≥ 1, default 10] [interval-ms " + TOP_MIN_INTERVAL_MS + "…" + TOP_MAX_INTERVAL_MS
            + ", default 1000]";
    static final String POLICY_SYNTAX = "[list | set <name>]";
    static final String CONFIG_SYNTAX = "<queue-id> level <1..3> | threshold <n ≥ 1> | batch <n ≤ threshold>";
    static final String TOP_USAGE = "usage: xsched:top " + TOP_SYNTAX;
    static final String POLICY_USAGE = "usage: xsched:policy " + POLICY_SYNTAX;
    static final String CONFIG_USAGE = "usage: xsched:config " + CONFIG_SYNTAX;

    private final Xsched xsched;

    XschedReports(Xsched xsched) {
        this.xsched = xsched;
    }

    String devices() {
        TextTable t = new TextTable("DEVICE", "PLATFORM", "KIND", "LEVEL", "NAME", "PARTITIONS");
        xsched.snapshot().devices.forEach(d -> t.row(d.id, d.platform, d.kind, "Lv" + d.maxLevel, d.name,
                d.partitions != null ? d.partitions : d.partitionsUnsupported != null ? "none: " + d.partitionsUnsupported : "-"));
        return t.toString();
    }

    String backends() {
        RuntimeDTO dto = xsched.snapshot();
        TextTable t = new TextTable("PLATFORM", "DEVICES", "BUNDLE", "VERSION");
        dto.backends.forEach(b -> t.row(b.platform, b.devices, b.bundle, b.version));
        return t.toString();
    }

    String queues() {
        return queueTable(xsched.snapshot().queues);
    }

    static String queueTable(List<QueueDTO> queues) {
        TextTable t = new TextTable("PID", "UID", "CLIENT", "DEVICE", "QUEUE", "NAME", "STATE", "STATUS", "LEVEL", "THRESH/BATCH", "PRIO",
                "RESERVE", "PARTITION", "PENDING", "INFLIGHT", "DONE/SUBMITTED");
        StringBuilder why = new StringBuilder();
        queues.forEach(q -> {
            String status = q.status != null ? q.status : q.suspended ? "SUSPENDED" : "RUNNING";
            t.row(q.pid, q.uid < 0 ? "?" : Long.toString(q.uid), q.client == null ? "local" : q.client, q.device, q.id, q.name, q.state, status, level(q), q.threshold + "/" + q.batchSize, q.priority,
                    q.reservation == null ? "-" : q.reservation, q.partition == null ? "whole" : q.partition, q.pending + "/" + q.maxPending, q.inFlight, q.finished + "/" + q.submitted);
            String reason = q.failure != null ? q.failure : q.blockedReason;
            if (reason != null) {
                why.append('\n').append("queue ").append(q.id).append(' ').append(TerminalText.escape(status)).append(": ")
                        .append(TerminalText.escape(reason));
            }
            if (q.levelNote != null) {
                why.append('\n').append("queue ").append(q.id).append(" level: ").append(TerminalText.escape(q.levelNote));
            }
            if (q.partitionNote != null) {
                why.append('\n').append("queue ").append(q.id).append(" partition: ").append(TerminalText.escape(q.partitionNote));
            }
        });
        return t + why.toString();
    }

    /** @return e.g. {@code Lv3 interrupt}, or {@code Lv3->2 command} while a launched command caps the queue's stop at level 2 */
    private static String level(QueueDTO q) {
        String level = "Lv" + q.level + (q.effectiveLevel > 0 && q.effectiveLevel < q.level ? "->" + q.effectiveLevel : "");
        return q.stopsAt == null ? level : level + " " + TerminalText.escape(q.stopsAt);
    }

    /**
     * Shows {@code refreshes} views of the queues on {@code screen}, {@code interval} ms apart.
     *
     * @return null when it ran, else a message with the usage
     */
    String top(TopScreen screen, String... args) throws InterruptedException {
        int refreshes;
        long interval;
        try {
            if (args.length > 2) {
                throw new IllegalArgumentException("too many arguments");
            }
            refreshes = args.length > 0 ? Arguments.intValue(args[0], "refreshes", 1, Integer.MAX_VALUE) : 10;
            interval = args.length > 1 ? Arguments.longValue(args[1], "interval-ms", TOP_MIN_INTERVAL_MS, TOP_MAX_INTERVAL_MS) : 1000;
        } catch (IllegalArgumentException e) {
            return TerminalText.escape(e.getMessage()) + "\n" + TOP_USAGE;
        }
        for (int i = 0; i < refreshes; i++) {
            screen.show(topFrame(xsched.snapshot(), i + 1, refreshes));
            if (i + 1 < refreshes) {
                Thread.sleep(interval);
            }
        }
        return null;
    }

    static String topFrame(RuntimeDTO dto, int refresh, int refreshes) {
        return "xsched top — policy " + (dto.activePolicy == null ? "(none)" : TerminalText.escape(dto.activePolicy))
                + ", " + dto.queues.size() + " queue(s), refresh " + refresh + "/" + refreshes + "\n" + queueTable(dto.queues);
    }

    String policy(String... args) {
        RuntimeDTO dto = xsched.snapshot();
        if (args.length == 0) {
            return "active policy: " + (dto.activePolicy == null ? "(none: every queue runs)" : TerminalText.escape(dto.activePolicy))
                    + "\ninstalled: " + String.join(", ", dto.policies.stream().map(TerminalText::escape).toList());
        }
        if (args.length == 1 && args[0].equals("list")) {
            return String.join("\n", dto.policies.stream()
                    .map(p -> (p.equals(dto.activePolicy) ? "* " : "  ") + TerminalText.escape(p)).toList());
        }
        if (args.length == 2 && args[0].equals("set")) {
            try {
                xsched.activatePolicy(args[1]);
                return "active policy: " + xsched.activePolicy().map(TerminalText::escape).orElse("(none)");
            } catch (IllegalArgumentException e) {
                return TerminalText.escape(e.getMessage());
            }
        }
        return POLICY_USAGE;
    }

    String hint(String... args) {
        try {
            xsched.hint(HintCommand.parse(args));
            return "ok";
        } catch (IllegalArgumentException e) {
            return TerminalText.escape(e.getMessage()) + "\n" + HintCommand.USAGE;
        }
    }

    String config(String... args) {
        if (args.length != 3) {
            return CONFIG_USAGE;
        }
        try {
            long id = Arguments.integer(args[0], "queue id");
            XQueue q = xsched.queue(id).orElseThrow(() -> new IllegalArgumentException("no queue " + id));
            LaunchConfig c = q.launchConfig();
            switch (args[1].toLowerCase(Locale.ROOT)) {
                case "level" -> q.level(PreemptLevel.parse(args[2]));
                case "threshold" -> {
                    int threshold = Arguments.intValue(args[2], "threshold", 1, Integer.MAX_VALUE);
                    q.launchConfig(new LaunchConfig(threshold, Math.min(c.batchSize(), threshold)));
                }
                case "batch" -> q.launchConfig(new LaunchConfig(c.threshold(), Arguments.intValue(args[2], "batch", 1, Integer.MAX_VALUE)));
                default -> throw new IllegalArgumentException("unknown setting '" + args[1] + "'");
            }
            return "queue " + id + ": Lv" + q.level().number() + ", threshold " + q.launchConfig().threshold() + ", batch " + q.launchConfig().batchSize();
        } catch (IllegalArgumentException e) {
            return TerminalText.escape(e.getMessage()) + "\n" + CONFIG_USAGE;
        }
    }

    String rejected() {
        TextTable t = new TextTable("TYPE", "NAME", "BUNDLE", "REASON");
        xsched.snapshot().rejected.forEach(r -> t.row(r.type, r.name, r.bundle, r.reason));
        return t.toString();
    }
}
