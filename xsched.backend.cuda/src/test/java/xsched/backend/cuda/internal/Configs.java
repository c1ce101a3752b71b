package xsched.backend.cuda.internal;

import java.lang.annotation.Annotation;

/** Component configurations for calling the DS component's activate method directly. */
final class Configs {
    private Configs() {
    }

    static CudaBackend.Config hostWait(String mode) {
        return config(mode, true);
    }

    static CudaBackend.Config config(String mode, boolean gate) {
        return new CudaBackend.Config() {
            @Override
            public String host_wait() {
                return mode;
            }

            @Override
            public boolean gate() {
                return gate;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return CudaBackend.Config.class;
            }
        };
    }
}
