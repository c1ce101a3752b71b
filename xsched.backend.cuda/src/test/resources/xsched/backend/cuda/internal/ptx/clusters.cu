// Fixture for the PTX guardian tests: a kernel with a compile-time cluster shape (refused)
// next to an ordinary one in the same module (guarded).
// Regenerate: nvcc -arch=sm_90 -ptx clusters.cu -o clusters.ptx
#include <cooperative_groups.h>
namespace cg = cooperative_groups;

extern "C" __global__ void __cluster_dims__(2, 1, 1) cluster_pair(int* out) {
    cg::cluster_group cluster = cg::this_cluster();
    out[blockIdx.x * blockDim.x + threadIdx.x] = cluster.block_rank();
    cluster.sync();
}

extern "C" __global__ void plain_neighbour(int* out) {
    out[blockIdx.x * blockDim.x + threadIdx.x] = blockIdx.x;
}
