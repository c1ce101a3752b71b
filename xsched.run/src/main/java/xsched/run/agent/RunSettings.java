package xsched.run.agent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import xsched.api.Hint;
import xsched.api.LaunchConfig;

/**
 * What {@code xsched run} was asked for, from the environment ({@code XSCHED_PRIORITY},
 * {@code XSCHED_UTILIZATION}, {@code XSCHED_DEADLINE}, {@code XSCHED_LEVEL}, {@code XSCHED_NAME},
 * {@code XSCHED_RUN_WINDOW}),
 * so that programs started by other tools can be given the same settings. A bad value is left
 * out with a message, never fatal: the program must run.
 *
 * @param priority    the priority of the program's queues
 * @param utilization the share of the device, in percent
 * @param deadline    the deadline of each job
 * @param level       the highest preempt level to use
 * @param window      the launch window of the program's queues ({@code threshold/batch}, e.g. {@code 64/16})
 * @param name        the name the program's queues and connection show
 * @param warmUpCalls how many times the agent runs its own launch path before the program's calls ({@link WarmUp})
 * @param problems    messages for the values left out
 */
record RunSettings(OptionalInt priority, OptionalInt utilization, Optional<Duration> deadline, OptionalInt level,
        Optional<LaunchConfig> window, String name, int warmUpCalls,
        List<String> problems) {
    RunSettings {
        problems = List.copyOf(problems);
    }

    static RunSettings from(Map<String, String> env, String fallbackName) {
        List<String> problems = new ArrayList<>();
        OptionalInt priority = number(env, "XSCHED_PRIORITY", Hint.PRIORITY_MIN, Hint.PRIORITY_MAX, problems);
        OptionalInt utilization = number(env, "XSCHED_UTILIZATION", 0, 100, problems);
        OptionalInt level = number(env, "XSCHED_LEVEL", 1, 3, problems);
        Optional<Duration> deadline = Optional.empty();
        String d = env.get("XSCHED_DEADLINE");
        if (d != null && !d.isBlank()) {
            try {
                deadline = Optional.of(Durations.parse(d));
            } catch (IllegalArgumentException e) {
                problems.add("XSCHED_DEADLINE: " + e.getMessage() + "; ignored");
            }
        }
        Optional<LaunchConfig> window = window(env.get("XSCHED_RUN_WINDOW"), problems);
        String name = env.getOrDefault("XSCHED_NAME", "").strip();
        int warmUp = number(env, "XSCHED_RUN_WARMUP", 0, WarmUp.MAX_CALLS, problems).orElse(WarmUp.DEFAULT_CALLS);
        return new RunSettings(priority, utilization, deadline, level, window, name.isEmpty() ? fallbackName : name, warmUp, problems);
    }

    private static Optional<LaunchConfig> window(String text, List<String> problems) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LaunchConfig.parse(text.strip()));
        } catch (IllegalArgumentException e) {
            problems.add("XSCHED_RUN_WINDOW: " + e.getMessage() + "; ignored");
            return Optional.empty();
        }
    }

    private static OptionalInt number(Map<String, String> env, String key, int min, int max, List<String> problems) {
        String text = env.get(key);
        if (text == null || text.isBlank()) {
            return OptionalInt.empty();
        }
        try {
            long value = Long.parseLong(text.strip());
            if (value < min || value > max) {
                problems.add(key + " must be in " + min + "…" + max + ", not " + text.strip() + "; ignored");
                return OptionalInt.empty();
            }
            return OptionalInt.of((int) value);
        } catch (NumberFormatException e) {
            problems.add(key + " must be a whole number, not '" + text.strip() + "'; ignored");
            return OptionalInt.empty();
        }
    }
}
