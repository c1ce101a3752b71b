package xsched.backend.npu.internal;

import java.util.Objects;
import xsched.backend.levelzero.ZeDevice;
import xsched.backend.levelzero.internal.queue.ZeQueue;

/**
 * The seam for a hardware-assisted level 2 on the NPU: a way, offered by the driver, to suspend one
 * hardware queue — commands launched but not started stay queued on the device, the running one
 * finishes (or is preempted by the firmware and later resumed) — and to resume it. The NPU backend
 * asks a {@code QueueSuspend} about each device when it opens its platform and logs the answer. No
 * driver offers one today ({@link #NONE}); the README, "Level 2", says what using one would take
 * (a {@code HwQueue.Holding} queue, a raised {@code maxLevel}).
 */
@FunctionalInterface
public interface QueueSuspend {
    /** What the driver offers for one device. */
    sealed interface Support {
        /**
         * The driver can suspend and resume this device's queues.
         *
         * @param how     what it is, for the log (an extension name and version)
         * @param control the calls
         */
        record Offered(String how, Control control) implements Support {
            /** Checks the components. */
            public Offered {
                Objects.requireNonNull(how, "how");
                Objects.requireNonNull(control, "control");
            }
        }

        /** @param why why there is no way, for the log */
        record Absent(String why) implements Support {
            /** Checks the component. */
            public Absent {
                Objects.requireNonNull(why, "why");
            }
        }
    }

    /** Suspending and resuming one hardware queue. */
    interface Control {
        /**
         * Holds the queue: returns once nothing of it runs on the device; what it launched stays
         * launched and runs after {@link #resume(ZeQueue)}, exactly once.
         */
        void suspend(ZeQueue queue);

        /** Lets a suspended queue run again. */
        void resume(ZeQueue queue);
    }

    /** The answer for every device today. */
    QueueSuspend NONE = device -> new Support.Absent("Level Zero (loader 1.8.12, API 1.4) has no queue suspend and the "
            + "Intel NPU driver offers no extension for it; the NPU firmware's hardware scheduler can suspend a command "
            + "queue (VPU_JSM_MSG_HWS_SUSPEND_CMDQ), but only the kernel driver (ivpu) sends that message");

    /** @param device an NPU @return whether and how its driver suspends queues */
    Support probe(ZeDevice device);
}
