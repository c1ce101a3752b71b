package xsched.backend.cuda.internal;

import java.lang.annotation.Annotation;

/** Component configurations for calling the DS component's activate method directly. */
final class Configs {
    private Configs() {
    }

    static CudaBackend.Config hostWait(String mode) {
        return new CudaBackend.Config() {
            @Override
            public String host_wait() {
                return mode;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return CudaBackend.Config.class;
            }
        };
    }
}
