package xsched.core.internal.runtime;

import java.util.List;
import xsched.api.XQueue;
import xsched.api.XpuDevice;
import xsched.api.dto.BackendDTO;
import xsched.api.dto.DeviceDTO;
import xsched.api.dto.QueueDTO;
import xsched.api.dto.RejectedDTO;
import xsched.api.dto.RuntimeDTO;
import xsched.core.engine.ForeignQueue;
import xsched.core.internal.queue.OwnProcess;
import xsched.core.internal.queue.ProgressiveQueue;
import xsched.core.internal.sched.SchedulerEngine;
import xsched.spi.hal.PartitionSupport;
import xsched.spi.policy.QueueHints;

/** Builds the runtime DTO. */
final class RuntimeSnapshot {
    private RuntimeSnapshot() {
    }

    static RuntimeDTO of(long pid, List<BackendRegistry.Bound> bound, List<XQueue> queues, SchedulerEngine engine, PartitionPlacer placer,
            String active, List<String> policies, List<RejectedDTO> rejected) {
        RuntimeDTO dto = new RuntimeDTO();
        dto.pid = pid;
        dto.backends = bound.stream().map(RuntimeSnapshot::backend).toList();
        dto.devices = bound.stream().flatMap(b -> b.devices().stream()).map(d -> device(d, placer.partitions(d.id()))).toList();
        dto.queues = queues.stream().map(q -> queue(q, engine, placer)).toList();
        dto.activePolicy = active;
        dto.policies = policies;
        dto.rejected = rejected;
        return dto;
    }

    private static BackendDTO backend(BackendRegistry.Bound b) {
        BackendDTO dto = new BackendDTO();
        dto.platform = b.backend().platform();
        dto.bundle = b.bundle();
        dto.version = b.version();
        dto.devices = b.devices().size();
        return dto;
    }

    private static DeviceDTO device(XpuDevice d, PartitionSupport partitions) {
        DeviceDTO dto = device(d);
        if (partitions.supported()) {
            dto.computeUnits = partitions.computeUnits();
            dto.partitions = partitions.computeUnits() + " " + partitions.unitName() + "; partitions " + partitions.describe();
        } else {
            dto.partitionsUnsupported = partitions.unsupportedReason();
        }
        return dto;
    }

    static DeviceDTO device(XpuDevice d) {
        DeviceDTO dto = new DeviceDTO();
        dto.id = d.id();
        dto.platform = d.platform();
        dto.kind = d.kind().name();
        dto.name = d.name();
        dto.maxLevel = d.maxLevel().number();
        return dto;
    }

    private static QueueDTO queue(XQueue q, SchedulerEngine engine, PartitionPlacer placer) {
        QueueDTO dto = new QueueDTO();
        dto.id = q.id();
        dto.name = q.name();
        dto.pid = q.pid();
        dto.device = q.device().id();
        dto.state = q.state().name();
        dto.level = q.level().number();
        dto.effectiveLevel = dto.level;
        dto.threshold = q.launchConfig().threshold();
        dto.batchSize = q.launchConfig().batchSize();
        QueueHints hints = engine.hintsOf(q.id());
        dto.priority = hints.priority();
        dto.reservation = hints.reservedUnits() > 0 ? Integer.toString(hints.reservedUnits())
                : hints.reservedPercent() > 0 ? hints.reservedPercent() + "%" : null;
        if (q instanceof ForeignQueue f) {
            f.describe(dto);
        } else if (q instanceof ProgressiveQueue pq) {
            dto.uid = OwnProcess.UID;
            dto.client = "local";
            var view = pq.view();
            dto.status = view.status();
            dto.suspended = view.suspended();
            dto.submitted = view.submitted();
            dto.finished = view.ended();
            dto.inFlight = view.inFlight();
            dto.pending = view.pending();
            dto.maxPending = pq.maxPending();
            dto.blockedReason = view.blockedReason();
            dto.failure = view.failure();
            dto.partition = view.partition();
            dto.effectiveLevel = view.reach().level();
            dto.stopsAt = view.reach().stopsAt();
            dto.levelNote = view.reach().note();
            dto.partitionNote = view.partitionNote() != null ? view.partitionNote()
                    : placer.note(q.id()) != null ? placer.note(q.id()) : engine.placementNote(q.id());
        } else {
            dto.suspended = q.suspended();
            dto.submitted = q.submitted();
            dto.finished = q.finished();
        }
        return dto;
    }
}
