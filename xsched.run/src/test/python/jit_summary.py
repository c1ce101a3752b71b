#!/usr/bin/env python3
"""Sums up a JVM log of -Xlog:jit+compilation=debug,deoptimization=debug:file=LOG:uptime.

    python3 jit_summary.py LOG [TOP]

The first line says how many compilations and deoptimizations there were, how many of them in the
second half of the log's time (what a warmed-up process still compiles), and the methods compiled
most often there; then the TOP (default 15) methods and deoptimization reasons of the second half.
"""
import collections
import re
import sys

# [12.345s]  1318 %  ! 4       J::main @ 4 (35 bytes)   made not entrant: reason
COMPILE = re.compile(r"^\[(\d+\.\d+)s\]\s+(\d+)\s+([%sbn! ]*?)\s*(\d)\s+(\S+)(.*)$")
# [0.288s] cid= 452     level=4 a.B.m(...)I trap_bci=19 profile_predicate maybe_recompile pc=...
DEOPT = re.compile(r"^\[(\d+\.\d+)s\]\s+cid=\s*(\d+)\s+level=(\d)\s+(\S+?)\(.*?trap_bci=\d+\s+(\S+)\s+(\S+)")


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: jit_summary.py LOG [TOP]")
    top = int(sys.argv[2]) if len(sys.argv) == 3 else 15
    compiles, entrants, deopts = [], [], []
    with open(sys.argv[1], errors="replace") as log:
        for line in log:
            m = DEOPT.match(line)
            if m:
                deopts.append((float(m.group(1)), m.group(4), f"{m.group(5)} {m.group(6)}"))
                continue
            m = COMPILE.match(line)
            if not m:
                continue
            at, level, method, rest = float(m.group(1)), int(m.group(4)), m.group(5), m.group(6)
            if "made not entrant" in rest or "made zombie" in rest:
                entrants.append((at, method, rest.split("made not entrant:")[-1].strip()))
            else:
                compiles.append((at, level, method, "%" in m.group(3)))
    if not compiles:
        print("no compilations in the log")
        return
    start = min(c[0] for c in compiles)
    end = max([c[0] for c in compiles] + [d[0] for d in deopts] + [e[0] for e in entrants])
    half = start + (end - start) / 2
    late = [c for c in compiles if c[0] >= half]
    late_c2 = [c for c in late if c[1] == 4]
    late_deopts = [d for d in deopts if d[0] >= half]
    by_method = collections.Counter(c[2] for c in late_c2)
    named = ", ".join(f"{m} x{n}" for m, n in by_method.most_common(3))
    print(f"{len(compiles)} compilations over {end - start:.1f} s, {len(late)} in the second half "
          f"({len(late_c2)} by C2: {named or 'none'}); {len(deopts)} deoptimizations, {len(late_deopts)} in the "
          f"second half; {len([e for e in entrants if e[0] >= half])} methods made not entrant there")
    print(f"-- C2 compilations in the second half ({half:.1f} s on), by method:")
    for method, n in by_method.most_common(top):
        print(f"{n:6d}  {method}")
    print("-- deoptimizations in the second half, by method and reason:")
    for (method, reason), n in collections.Counter((d[1], d[2]) for d in late_deopts).most_common(top):
        print(f"{n:6d}  {method}  {reason}")
    print("-- made not entrant in the second half, by reason:")
    for reason, n in collections.Counter(e[2] for e in entrants if e[0] >= half).most_common(top):
        print(f"{n:6d}  {reason}")
    per_second = collections.Counter(int(c[0]) for c in compiles if c[1] == 4)
    print("-- C2 compilations per second of uptime: " + " ".join(f"{s}:{per_second[s]}" for s in sorted(per_second)))


if __name__ == "__main__":
    main()
