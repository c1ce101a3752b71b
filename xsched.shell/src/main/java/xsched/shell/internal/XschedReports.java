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
 * {@link XschedCommands} prints the answers.
 */
final class XschedReports {
    private final Xsched xsched;

    XschedReports(Xsched xsched) {
        this.xsched = xsched;
    }

    String devices() {
        TextTable t = new TextTable("DEVICE", "PLATFORM", "KIND", "LEVEL", "NAME");
        xsched.snapshot().devices.forEach(d -> t.row(d.id, d.platform, d.kind, "Lv" + d.maxLevel, d.name));
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
        TextTable t = new TextTable("PID", "DEVICE", "QUEUE", "NAME", "STATE", "STATUS", "LEVEL", "THRESH/BATCH", "PRIO", "PENDING",
                "INFLIGHT", "DONE/SUBMITTED");
        StringBuilder why = new StringBuilder();
        queues.forEach(q -> {
            String status = q.status != null ? q.status : q.suspended ? "SUSPENDED" : "RUNNING";
            t.row(q.pid, q.device, q.id, q.name, q.state, status, "Lv" + q.level, q.threshold + "/" + q.batchSize, q.priority,
                    q.pending + "/" + q.maxPending, q.inFlight, q.finished + "/" + q.submitted);
            String reason = q.failure != null ? q.failure : q.blockedReason;
            if (reason != null) {
                why.append(System.lineSeparator()).append("queue ").append(q.id).append(' ').append(status).append(": ").append(reason);
            }
        });
        return t + why.toString();
    }

    String top(String... args) throws InterruptedException {
        try {
            int refreshes = args.length > 0 ? (int) Arguments.integer(args[0], "refreshes") : 10;
            long interval = args.length > 1 ? Arguments.integer(args[1], "interval") : 1000;
            if (refreshes < 1 || interval < 50) {
                return "usage: xsched:top [refreshes ≥ 1] [interval-ms ≥ 50]";
            }
            for (int i = 0; i < refreshes; i++) {
                RuntimeDTO dto = xsched.snapshot();
                System.out.print("\033[H\033[2J");
                System.out.println("xsched top — policy " + (dto.activePolicy == null ? "(none)" : dto.activePolicy)
                        + ", " + dto.queues.size() + " queue(s), refresh " + (i + 1) + "/" + refreshes);
                System.out.println(queueTable(dto.queues));
                System.out.flush();
                if (i + 1 < refreshes) {
                    Thread.sleep(interval);
                }
            }
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage() + "\nusage: xsched:top [refreshes] [interval-ms]";
        }
    }

    String policy(String... args) {
        RuntimeDTO dto = xsched.snapshot();
        if (args.length == 0) {
            return "active policy: " + (dto.activePolicy == null ? "(none: every queue runs)" : dto.activePolicy)
                    + "\ninstalled: " + String.join(", ", dto.policies);
        }
        if (args.length == 1 && args[0].equals("list")) {
            return String.join("\n", dto.policies.stream().map(p -> (p.equals(dto.activePolicy) ? "* " : "  ") + p).toList());
        }
        if (args.length == 2 && args[0].equals("set")) {
            try {
                xsched.activatePolicy(args[1]);
                return "active policy: " + xsched.activePolicy().orElse("(none)");
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        }
        return "usage: xsched:policy [list | set <name>]";
    }

    String hint(String... args) {
        try {
            xsched.hint(HintCommand.parse(args));
            return "ok";
        } catch (IllegalArgumentException e) {
            return e.getMessage() + "\n" + HintCommand.USAGE;
        }
    }

    String config(String... args) {
        String usage = "usage: xsched:config <queue> level <1..3> | threshold <n> | batch <n>";
        if (args.length != 3) {
            return usage;
        }
        try {
            long id = Arguments.integer(args[0], "queue id");
            XQueue q = xsched.queue(id).orElseThrow(() -> new IllegalArgumentException("no queue " + id));
            LaunchConfig c = q.launchConfig();
            switch (args[1].toLowerCase(Locale.ROOT)) {
                case "level" -> q.level(PreemptLevel.parse(args[2]));
                case "threshold" -> q.launchConfig(new LaunchConfig((int) Arguments.integer(args[2], "threshold"), Math.min(c.batchSize(), (int) Arguments.integer(args[2], "threshold"))));
                case "batch" -> q.launchConfig(new LaunchConfig(c.threshold(), (int) Arguments.integer(args[2], "batch")));
                default -> throw new IllegalArgumentException("unknown setting '" + args[1] + "'");
            }
            return "queue " + id + ": Lv" + q.level().number() + ", threshold " + q.launchConfig().threshold() + ", batch " + q.launchConfig().batchSize();
        } catch (IllegalArgumentException e) {
            return e.getMessage() + "\n" + usage;
        }
    }

    String rejected() {
        TextTable t = new TextTable("TYPE", "NAME", "BUNDLE", "REASON");
        xsched.snapshot().rejected.forEach(r -> t.row(r.type, r.name, r.bundle, r.reason));
        return t.toString();
    }
}
