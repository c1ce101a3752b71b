package xsched.spi.policy;

import org.osgi.annotation.versioning.ProviderType;
import xsched.spi.hal.PartitionSupport;

/**
 * Where a {@link SchedulingPolicy.Placing} policy puts queues, handed to it by the core for one
 * {@link SchedulingPolicy.Placing#place} call. A decision names a device's layout: one queue on a
 * reserved partition and every other queue of the device on the complement ({@link #reserve}), one
 * queue on a reserved partition that the others share ({@link #reserveShared}), or the whole
 * device for all. The last word per device wins; a device the policy does not name keeps its
 * layout. The core carries the decisions out off the scheduler thread: each queue moves at a
 * command boundary, nothing lost and nothing run twice. Queues of other processes (node daemon)
 * stay on the whole device.
 */
@ProviderType
public interface PlacementContext {
    /**
     * @param deviceId a device id
     * @return how the device can be partitioned, or why not (an unknown device is unsupported)
     */
    PartitionSupport partitions(String deviceId);

    /**
     * Gives a queue a partition of its own, sized by its reservation hint ({@link
     * QueueHints#reservedUnits()} or {@link QueueHints#reservedPercent()}); the other queues of its
     * device run on the complement.
     *
     * @param queueId a queue
     * @return whether the decision stands: false when the queue is unknown, has no reservation
     *         hint, its device has no partitions or the size cannot be met; the reason is logged
     *         and shown with the queue ({@code QueueDTO.partitionNote})
     */
    boolean reserve(long queueId);

    /**
     * Gives a queue a partition of at least {@code computeUnits}, whatever its hint says.
     *
     * @param queueId      a queue
     * @param computeUnits compute units, rounded up by the device's {@link PartitionSupport#reservable(int)}
     * @return whether the decision stands (see {@link #reserve(long)})
     */
    boolean reserve(long queueId, int computeUnits);

    /**
     * Gives a queue a partition of its own, sized by its reservation hint as {@link #reserve(long)}
     * does, while the other queues of its device keep the whole device: where the device can order
     * work by urgency, the reserved queue's work goes first on its partition (CUDA: a reserved
     * partition's streams are the most urgent, so its blocks take SMs as the others' blocks end),
     * and the others use its compute units whenever it leaves them free. Work-conserving; while the
     * policy keeps naming the queue, nothing moves. Isolation is weaker than {@link #reserve(long)}'s:
     * the reserved queue waits for the others' running work units (CUDA: thread blocks) on its
     * compute units.
     *
     * @param queueId a queue
     * @return whether the decision stands (see {@link #reserve(long)})
     * @since 0.5
     */
    boolean reserveShared(long queueId);

    /**
     * As {@link #reserveShared(long)}, with a partition of at least {@code computeUnits}, whatever
     * the queue's hint says.
     *
     * @param queueId      a queue
     * @param computeUnits compute units, rounded up by the device's {@link PartitionSupport#reservable(int)}
     * @return whether the decision stands (see {@link #reserve(long)})
     * @since 0.5
     */
    boolean reserveShared(long queueId, int computeUnits);

    /**
     * Every queue of the device runs on all its compute units again; its partitions are released
     * once no queue runs on them.
     *
     * @param deviceId a device id
     */
    void whole(String deviceId);
}
