package xsched.backend.levelzero.internal.queue;

import java.util.ArrayDeque;
import xsched.backend.levelzero.QueueAccess;
import xsched.backend.levelzero.ZeCommand;
import xsched.backend.levelzero.ZeDevice;
import xsched.backend.levelzero.internal.ze.LevelZero;
import xsched.backend.levelzero.internal.ze.ZeQueueCalls;
import xsched.backend.levelzero.internal.ze.ZeResults;

/**
 * A command queue fed with regular command lists, for drivers without immediate lists (older Intel
 * NPU drivers): commands go into the open list; {@link #flush()} (at each sync point) closes it and
 * executes it with a fence, and the next list comes from those whose fence has signalled (reset) or
 * is created. Each list that starts with a command starts with a barrier, since Level Zero orders
 * lists on one queue only by barriers.
 */
final class ListSubmission implements Submission {
    private record Batch(long list, long fence) {
    }

    private final long context;
    private final long device;
    private final int ordinal;
    private final long queue;
    private final ArrayDeque<Batch> inFlight = new ArrayDeque<>();
    private final ArrayDeque<Batch> idle = new ArrayDeque<>();
    private Batch open;
    private int appended;

    ListSubmission(ZeDevice zeDevice) {
        this.context = QueueAccess.context(zeDevice);
        this.device = QueueAccess.handle(zeDevice);
        this.ordinal = QueueAccess.queueOrdinal(zeDevice);
        this.queue = ZeQueueCalls.createQueue(context, device, ordinal, ZeQueueCalls.MODE_ASYNCHRONOUS);
        try {
            this.open = newBatch();
        } catch (RuntimeException e) {
            ZeQueueCalls.destroyQueue(queue);
            throw e;
        }
    }

    private Batch newBatch() {
        long list = ZeQueueCalls.createList(context, device, ordinal);
        try {
            return new Batch(list, ZeQueueCalls.createFence(queue));
        } catch (RuntimeException e) {
            ZeQueueCalls.destroyList(list);
            throw e;
        }
    }

    @Override
    public String mode() {
        return "command queue and lists";
    }

    @Override
    public void append(ZeCommand command) {
        if (appended == 0) {
            ZeQueueCalls.appendBarrier(open.list(), 0);
            appended++;
        }
        QueueAccess.append(command, open.list());
        appended++;
    }

    @Override
    public void barrier(long signalEvent) {
        ZeQueueCalls.appendBarrier(open.list(), signalEvent);
        appended++;
    }

    @Override
    public void flush() {
        if (appended == 0) {
            return;
        }
        Batch batch = open;
        ZeQueueCalls.closeList(batch.list());
        try {
            ZeQueueCalls.execute(queue, batch.list(), batch.fence());
        } catch (RuntimeException e) {
            ZeQueueCalls.resetList(batch.list());
            appended = 0;
            throw e;
        }
        inFlight.add(batch);
        appended = 0;
        open = nextBatch();
    }

    /** @return a batch whose fence signalled, reset, or a new one */
    private Batch nextBatch() {
        while (!inFlight.isEmpty() && ZeQueueCalls.fenceQueryStatus(inFlight.peek().fence()) == ZeResults.SUCCESS) {
            Batch done = inFlight.poll();
            ZeQueueCalls.resetList(done.list());
            ZeQueueCalls.resetFence(done.fence());
            idle.add(done);
        }
        Batch reused = idle.poll();
        return reused != null ? reused : newBatch();
    }

    @Override
    public void close() {
        try {
            LevelZero.check(ZeQueueCalls.synchronizeQueue(queue, ZeQueueCalls.FOREVER), "zeCommandQueueSynchronize");
        } finally {
            for (Batch b : inFlight) {
                destroy(b);
            }
            for (Batch b : idle) {
                destroy(b);
            }
            destroy(open);
            ZeQueueCalls.destroyQueue(queue);
        }
    }

    private static void destroy(Batch b) {
        ZeQueueCalls.destroyFence(b.fence());
        ZeQueueCalls.destroyList(b.list());
    }
}
