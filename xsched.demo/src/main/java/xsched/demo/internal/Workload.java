package xsched.demo.internal;

import xsched.api.LaunchConfig;
import xsched.spi.hal.HwCommand;

/** The kernels of the demo for one platform. */
interface Workload {
    /** @return a line describing the kernels */
    String describe();

    /** @return one kernel of a foreground job (a new object each call) */
    HwCommand foreground();

    /** @return one kernel of the background (a new object each call) */
    HwCommand background();

    /** @return foreground kernels per job */
    int kernelsPerJob();

    /** @return time between foreground job arrivals, nanoseconds */
    long periodNanos();

    /** @return launch parameters for the background XQueue */
    LaunchConfig backgroundLaunch();
}
