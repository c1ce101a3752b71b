package xsched.core.internal.queue;

import xsched.api.PreemptLevel;
import xsched.api.XpuDevice;
import xsched.spi.hal.Backend;
import xsched.spi.hal.HwCommand;

/**
 * What the launch worker does next, as decided by the {@link QueueStateMachine}. Steps that touch
 * the hardware queue are handed out with the launch token taken; the worker gives it back.
 */
sealed interface LaunchStep {
    /** Launch one command (token taken); record a sync point after it when {@code recordAfter}. */
    record Launch(HwCommand command, long seq, boolean recordAfter) implements LaunchStep {
    }

    /** Leave the newest commands without a sync point a little longer (a waiter may record one). */
    record Pause(long nanos) implements LaunchStep {
    }

    /** Record a sync point behind the newest launched command (token taken). */
    record Record() implements LaunchStep {
    }

    /** Wait for the oldest sync point; {@code block} false: only check it, then nap. */
    record AwaitOldest(SyncSlot slot, boolean block) implements LaunchStep {
    }

    /** Hand the deactivated or interrupted commands back to the hardware queue (token taken). */
    record Relaunch(PreemptLevel stoppedWith) implements LaunchStep {
    }

    /** Stop the hardware queue again: the queue was suspended while it was being relaunched. */
    record Stop(PreemptLevel level) implements LaunchStep {
    }

    /** Let go of the hardware queue (token taken); {@code drain}: wait for launched work first. */
    record Detach(boolean drain) implements LaunchStep {
    }

    /** Open a hardware queue on another backend (token taken). */
    record Attach(Backend backend, XpuDevice device) implements LaunchStep {
    }

    /** Move to another partition of the device (token taken): open there, let go here. */
    record Move(Attachments.Move target) implements LaunchStep {
    }

    /** The queue is closed or failed: close the hardware queue and end the worker. */
    record Exit() implements LaunchStep {
    }
}
