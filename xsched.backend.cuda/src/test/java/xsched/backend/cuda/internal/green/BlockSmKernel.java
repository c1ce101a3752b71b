package xsched.backend.cuda.internal.green;

/**
 * The test kernel that shows where blocks ran: {@code block_sm(u32* out, u64 nanos)} lets every
 * thread spin for {@code nanos} (so blocks overlap and spread over whatever SMs they may use), then
 * thread 0 writes the block's {@code %smid} to {@code out[blockIdx.x]}. One-dimensional grids.
 */
final class BlockSmKernel {
    static final String NAME = "block_sm";

    static final String PTX = """
            .version 8.0
            .target sm_75
            .address_size 64

            .visible .entry block_sm(
            	.param .u64 block_sm_out,
            	.param .u64 block_sm_nanos
            )
            {
            	.reg .pred 	%p<3>;
            	.reg .b32 	%r<4>;
            	.reg .b64 	%rd<9>;

            	ld.param.u64 	%rd1, [block_sm_out];
            	ld.param.u64 	%rd2, [block_sm_nanos];
            	mov.u64 	%rd3, %globaltimer;
            SPIN:
            	mov.u64 	%rd4, %globaltimer;
            	sub.s64 	%rd5, %rd4, %rd3;
            	setp.lt.u64 	%p1, %rd5, %rd2;
            	@%p1 bra 	SPIN;
            	mov.u32 	%r1, %tid.x;
            	setp.ne.u32 	%p2, %r1, 0;
            	@%p2 bra 	DONE;
            	mov.u32 	%r2, %smid;
            	mov.u32 	%r3, %ctaid.x;
            	cvta.to.global.u64 	%rd6, %rd1;
            	mul.wide.u32 	%rd7, %r3, 4;
            	add.s64 	%rd8, %rd6, %rd7;
            	st.global.u32 	[%rd8], %r2;
            DONE:
            	ret;
            }
            """;

    private BlockSmKernel() {
    }
}
