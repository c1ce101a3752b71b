package xsched.run.agent;

/** One driver call with the application's arguments bound, made through the real function. */
@FunctionalInterface
interface NativeCall {
    /**
     * @return the call's {@code CUresult}
     * @throws Throwable what a downcall handle may throw (nothing, for a matching signature)
     */
    int call() throws Throwable;

    /** @return the call's {@code CUresult}, {@code CUDA_ERROR_UNKNOWN} (999) if the downcall itself threw */
    default int callChecked() {
        try {
            return call();
        } catch (Throwable t) {
            Say.once("a driver call could not be made from Java: " + t);
            return 999;
        }
    }
}
