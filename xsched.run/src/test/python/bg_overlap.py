"""What of the background ran on the GPU during each foreground job (gpu-xrun.sh's spin case).

Usage: bg_overlap.py FG_TRACE BG_TRACE
FG_TRACE: xrun_load fg's trace (XRUN_LOAD_TRACE), one job a line: at, latency, first call, last call,
GPU time (ms), then the job's first kernel's start and last kernel's end on the GPU's clock (ns).
BG_TRACE: xrun_load bg's trace (XRUN_LOAD_BGTRACE), one kernel a line: start and end on the GPU's clock.
Prints one line: the slow jobs (latency above 1.2 x the median) against the others, how many of
each had background kernels on the GPU during the job's kernels, how many of those kernels began
during the job (launched while it ran, not left over from before it), and the median overlap.
"""
import bisect
import sys


def median(values):
    v = sorted(values)
    return v[len(v) // 2] if v else 0.0


def main(fg_path, bg_path):
    jobs = [l.split() for l in open(fg_path)]
    jobs = [(float(r[1]), int(r[5]), int(r[6])) for r in jobs if len(r) >= 7 and int(r[5]) > 0]
    kernels = sorted((int(a), int(b)) for a, b in (l.split() for l in open(bg_path) if len(l.split()) == 2) if int(a) > 0)
    if not jobs or not kernels:
        return print("no jobs or no background kernels traced")
    starts = [k[0] for k in kernels]
    longest = max(b - a for a, b in kernels)
    typical = median([lat for lat, _, _ in jobs])

    def seen(job):
        _, s, e = job
        lo = bisect.bisect_left(starts, s - longest)
        hi = bisect.bisect_left(starts, e)
        on = [(a, b) for a, b in kernels[lo:hi] if b > s]
        overlap = sum(min(e, b) - max(s, a) for a, b in on) / 1e3
        began = sum(1 for a, _ in on if a >= s)
        return len(on), began, overlap

    def describe(group, name):
        if not group:
            return name + " 0"
        looks = [seen(j) for j in group]
        hit = [x for x in looks if x[0] > 0]
        return ("%s %d: bg on the GPU in %d, bg kernels begun during the job in %d (%d kernels), median overlap %.0f us of those hit"
                % (name, len(group), len(hit), sum(1 for x in looks if x[1] > 0), sum(x[1] for x in looks),
                   median([x[2] for x in hit])))

    slow = [j for j in jobs if j[0] > 1.2 * typical]
    rest = [j for j in jobs if j[0] <= 1.2 * typical]
    span = (kernels[-1][1] - kernels[0][0]) / 1e9
    print("median job %.3f ms; %s | %s; bg traced %d kernels over %.1f s"
          % (typical, describe(slow, "slow jobs"), describe(rest, "others"), len(kernels), span))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: bg_overlap.py FG_TRACE BG_TRACE")
    main(sys.argv[1], sys.argv[2])
