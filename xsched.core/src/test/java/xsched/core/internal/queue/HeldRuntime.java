package xsched.core.internal.queue;

import static xsched.core.internal.queue.Waits.waitFor;

import java.util.concurrent.atomic.AtomicIntegerArray;
import xsched.api.LaunchConfig;
import xsched.api.PreemptLevel;
import xsched.api.QueueOptions;
import xsched.api.XQueue;
import xsched.core.embed.EmbeddedXsched;

/**
 * A runtime with manual scheduling over one {@link HoldingDevice}, whose sync points can be muted:
 * the device runs the work, but a queue cannot learn it from its points. Queues get an 8/2 window.
 */
final class HeldRuntime implements AutoCloseable {
    final HoldingDevice device = new HoldingDevice("held:0");
    final EmbeddedXsched xsched = EmbeddedXsched.builder().manualScheduling().backend(device).build();
    /** What the marks ran, by mark. */
    final AtomicIntegerArray runs = new AtomicIntegerArray(16);

    XQueue queue(PreemptLevel level) {
        return xsched.createQueue("held:0", QueueOptions.defaults().withLevel(level).withLaunch(new LaunchConfig(8, 2)));
    }

    /** Submits marks 0..count-1 and waits until the device ran them all; its points say nothing. */
    HoldingDevice.GatedQueue ranMuted(XQueue q, int count) throws InterruptedException {
        HoldingDevice.GatedQueue hw = device.queues.getFirst();
        hw.mute();
        for (int i = 0; i < count; i++) {
            q.submit(new HoldingDevice.Mark(runs, i));
        }
        waitFor(count + " marks run", () -> hw.ran() == count);
        return hw;
    }

    @Override
    public void close() {
        device.queues.forEach(HoldingDevice.GatedQueue::unmute);
        xsched.close();
        device.close();
    }
}
