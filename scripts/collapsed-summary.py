#!/usr/bin/env python3
"""Summarises async-profiler's collapsed stacks (gpu-xrun.sh's profile part): samples per thread,
then for one thread the frames with most samples of their own and the frames most often on the stack.

    python3 scripts/collapsed-summary.py FILE[.gz] [THREAD_PREFIX] [SELF_ROWS] [STACK_ROWS]

FILE holds lines "[thread tid=N];frame;frame;... COUNT" (async-profiler's collapsed output with
the threads option). THREAD_PREFIX picks the thread (default: the one with most samples).
"""
import collections
import gzip
import sys


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    path = argv[1]
    prefix = argv[2] if len(argv) > 2 and argv[2] else None
    try:
        self_rows = int(argv[3]) if len(argv) > 3 else 30
        stack_rows = int(argv[4]) if len(argv) > 4 else 60
    except ValueError:
        sys.exit(f"SELF_ROWS and STACK_ROWS are whole numbers, not {argv[3:5]}\n{__doc__}")
    opener = gzip.open if path.endswith(".gz") else open
    stacks = []
    threads = collections.Counter()
    with opener(path, "rt") as f:
        for line in f:
            stack, _, count = line.rstrip("\n").rpartition(" ")
            if not stack or not count.isdigit():
                continue
            frames = stack.split(";")
            thread = frames[0].split(" tid=")[0].strip("[]")
            threads[thread] += int(count)
            stacks.append((thread, frames[1:], int(count)))
    if not stacks:
        sys.exit(f"{path}: no stacks")
    print("samples by thread:", ", ".join(f"{t} {n}" for t, n in threads.most_common(8)))
    thread = next((t for t, _ in threads.most_common() if prefix is None or t.startswith(prefix)), None)
    if thread is None:
        sys.exit(f"{path}: no thread named {prefix}...")
    own = collections.Counter()
    on_stack = collections.Counter()
    total = 0
    for t, frames, n in stacks:
        if t != thread:
            continue
        total += n
        own[frames[-1] if frames else "?"] += n
        for frame in set(frames):
            on_stack[frame] += n
    print(f"thread {thread}: {total} samples")
    print("-- own samples")
    for frame, n in own.most_common(self_rows):
        print(f"{100 * n / total:5.1f} % {frame[:150]}")
    print("-- on the stack")
    for frame, n in on_stack.most_common(stack_rows):
        print(f"{100 * n / total:5.1f} % {frame[:150]}")


if __name__ == "__main__":
    main(sys.argv)
