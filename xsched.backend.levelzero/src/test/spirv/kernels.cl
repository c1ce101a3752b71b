// The test kernels of xsched.backend.levelzero, OpenCL C compiled to SPIR-V by regenerate.sh into
// src/test/resources/xsched/backend/levelzero/kernels.spv. The fake driver (fake_ze_driver.c) runs
// kernels of the same names and parameters in C; a real Intel GPU runs these.

// counts[i] += 1 and order[i] = ++*clock: the conformance kit's mark (exactly once, in order).
__kernel void mark(__global int* counts, __global int* order, __global int* clock, int i) {
    atomic_inc(&counts[i]);
    order[i] = atomic_inc(clock) + 1;
}

// c = a + b for the first n work-items.
__kernel void vadd(__global const float* a, __global const float* b, __global float* c, int n) {
    int k = get_global_id(0);
    if (k < n) {
        c[k] = a[k] + b[k];
    }
}
