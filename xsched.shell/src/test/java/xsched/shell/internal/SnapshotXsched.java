package xsched.shell.internal;

import java.util.List;
import java.util.Optional;
import xsched.api.Hint;
import xsched.api.QueueOptions;
import xsched.api.XQueue;
import xsched.api.XpuDevice;
import xsched.api.Xsched;
import xsched.api.dto.RuntimeDTO;

/** A runtime that only answers {@link #snapshot()}, with a DTO the test wrote: names and reasons no real plug-in produces. */
record SnapshotXsched(RuntimeDTO dto) implements Xsched {
    @Override
    public RuntimeDTO snapshot() {
        return dto;
    }

    @Override
    public Optional<String> activePolicy() {
        return Optional.ofNullable(dto.activePolicy);
    }

    @Override
    public List<XpuDevice> devices() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<XpuDevice> device(String deviceId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public XQueue createQueue(String deviceId, QueueOptions options) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<XQueue> queues() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<XQueue> queue(long queueId) {
        return Optional.empty();
    }

    @Override
    public void hint(Hint hint) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void activatePolicy(String name) {
        throw new IllegalArgumentException("no policy named '" + name + "'");
    }
}
