package xsched.run.agent;

import java.util.Objects;

/**
 * Where the intercepted calls on one of the application's streams go: through the stream's XQueue
 * ({@link AdoptedStream}), or straight to the driver ({@link Native}, with the reason).
 */
sealed interface StreamRoute permits AdoptedStream, StreamRoute.Native {
    /**
     * The stream's calls go straight to the driver.
     *
     * @param reason why, as said to the user
     */
    record Native(String reason) implements StreamRoute {
        /** @param reason why the stream runs natively; never null */
        public Native {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
