/**
 * Rewrites PTX so that xsched can preempt kernels on NVIDIA GPUs without hardware help: the Lv2
 * "guardian" and the Lv3 "interrupt points" of ARCHITECTURE.md §4. Internal; the backend calls
 * {@link xsched.backend.cuda.internal.ptx.GuardianRewriter#rewrite(String, java.util.Set)} before
 * {@code cuModuleLoadData} and launches guarded entries with two extra arguments.
 *
 * <h2>Launch arguments</h2>
 * Every guarded entry takes two more {@code .u64} parameters after its own: a pointer to the
 * queue's 32-bit stop flag (nonzero = stop; set with {@code cuStreamWriteValue32} from a control
 * stream; the device reads it with {@code ld.volatile.global}, never cached) and a pointer to a
 * control block laid out as {@link xsched.backend.cuda.internal.ptx.ControlBlockLayout} says. A
 * control block belongs to one logical launch (one grid) and to all its relaunches; the grid
 * dimensions, block dimensions, shared memory and arguments of a relaunch must equal the first.
 *
 * <h2>Device side</h2>
 * <b>Prologue (Lv2 and Lv3).</b> Thread (0,0,0) of each physical block reads the flag. If it is
 * set, the block exits without claiming anything. Otherwise (Lv3 only) it takes the next redo
 * entry by compare-and-swap on {@code redoNext} while {@code redoNext < min(redoEnd, capacity)},
 * else a fresh ticket {@code t = atom.add(nextTicket, 1)}; a fresh ticket at or past
 * {@code nctaid.x*nctaid.y*nctaid.z} means nothing is left and the block exits. The decision and
 * {@code x = t % nx, y = (t / nx) % ny, z = t / (nx*ny)} pass through 32 bytes of shared memory
 * and a {@code bar.sync 0} that every thread reaches, so a block runs or exits as a whole. Every
 * {@code %ctaid.x/.y/.z} of the entry then reads the logical index instead; {@code %nctaid}
 * stays right because a relaunch uses the same grid.
 *
 * <p><b>Interrupt points (Lv3).</b> Before every branch to an earlier label of the entry
 * (predicated or not), a thread that is about to take it reads the block's state word in shared
 * memory, then the flag. The first thread of the block to see the flag wins a shared
 * compare-and-swap, reserves a list position with {@code atom.add(recordNext, 1)}, writes the
 * block's logical index there, marks the block "stop" and exits; every other thread of the block
 * exits at its next back-edge on seeing "stop". If the list is full the winner marks the block
 * "keep running" instead, and the block completes. The state is sticky, so a thread of a stopped
 * block leaves at its next back-edge even if the host has cleared the flag in between — a thread
 * waiting in a loop for data from a thread that already left cannot spin forever.
 *
 * <p><b>Why exits at different points cannot deadlock.</b> PTX ISA 9.0, §9.7.13.1
 * ({@code bar}/{@code barrier}): {@code barrier.sync} and {@code bar.sync} without a thread count
 * wait for the <em>non-exited</em> threads of the CTA, and §9.7.8.x ({@code exit}): when exiting
 * threads are the only ones a CTA-wide barrier still waits for, the barrier is released. Likewise
 * {@code shfl.sync}, {@code vote.sync}, {@code match.sync} and {@code bar.warp.sync} wait only for
 * non-exited threads of their member mask. Those guarantees do not cover barriers with an explicit
 * thread count, split arrive/wait barriers, {@code mbarrier}, and warp-collective {@code .aligned}
 * matrix instructions ({@code mma}, {@code wmma}, {@code wgmma}, {@code ldmatrix}, …) that require
 * every thread to execute them; an entry (or a function it calls) using any of those is guarded
 * at Lv2 only, with the reason in {@link xsched.backend.cuda.internal.ptx.EntryGuard.Lv2#whyNotLv3()}.
 * Threads that have not yet noticed "stop" may compute with stale shared data before they leave;
 * their stores are overwritten when the block is redone, which is what block-idempotent promises.
 *
 * <h2>Host side</h2>
 * <ol>
 * <li><b>First launch</b> of a logical launch: flag clear; copy
 * {@link xsched.backend.cuda.internal.ptx.ControlBlockLayout#initialHeader()} to the control
 * block (counters zero, capacity set); launch with {@code cuLaunchKernel}, never cooperatively nor
 * with clusters ({@link xsched.backend.cuda.internal.ptx.GuardedModule#LAUNCH_RESTRICTION}).</li>
 * <li><b>Stop:</b> write a nonzero flag on the control stream. Blocks not started exit at once,
 * started blocks finish (Lv2) or leave at their next back-edge and record themselves (Lv3).</li>
 * <li><b>Relaunch</b>, on the same stream after the stopped launch: clear the flag; Lv3 only:
 * copy the 4 bytes at {@code RECORD_NEXT} onto {@code REDO_END}
 * ({@code cuMemcpyDtoDAsync}); relaunch the same grid with the same control block. Nothing else is
 * reset. Exactly the blocks that never ran, plus (Lv3) those that were interrupted, run; each
 * logical block completes exactly once. Relaunching a launch that had already finished is
 * harmless: every block finds nothing left and exits.</li>
 * </ol>
 * After a launch completes, its logical launch has done all its work when
 * {@code nextTicket >= total blocks}, {@code redoNext >= min(redoEnd, capacity)} and
 * {@code min(recordNext, capacity) <= redoEnd} (the last two only matter at Lv3).
 */
package xsched.backend.cuda.internal.ptx;
