package xsched.backend.cuda.internal;

import xsched.backend.cuda.internal.ffm.CudaDriver;

/** Streams handed to a queue that could not take them: destroyed here, so none is destroyed twice or never. */
final class HandedStreams {
    private HandedStreams() {
    }

    /**
     * Destroys {@code streams} (0 entries skipped); a failure to is added to {@code cause}.
     *
     * @param cause   why the queue was not made, returned for throwing
     * @param streams the streams nobody owns now
     * @return {@code cause}
     */
    static RuntimeException destroy(RuntimeException cause, long... streams) {
        for (long s : streams) {
            if (s == 0) {
                continue;
            }
            try {
                CudaDriver.streamDestroy(s);
            } catch (RuntimeException again) {
                cause.addSuppressed(again);
            }
        }
        return cause;
    }
}
