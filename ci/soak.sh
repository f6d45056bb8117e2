#!/usr/bin/env bash
# ci/soak.sh [--duration SEC] [--threads N] [--interval SEC] [--out DIR] [-- STRESS OPTIONS...]
#
# The long stress job: `layerace stress` for an hour (default) at 16 schema threads with node
# restarts, process kills and injected WiredTiger errors (panics included) on, sampling
# the resident memory and open file descriptors of the run's processes every --interval seconds.
# Both must stay flat. A kill or an injected panic ends a life (the child running the engine) and
# the next life starts small, so memory is judged by each life's peak: the highest peak of the
# second half of the lives may not exceed the first half's by more than LIMIT_RSS_PCT percent
# (default 20). Descriptors, after a warm-up (a tenth of the run, at least 5 minutes or half a
# short run): the median of the last quarter of the samples may not exceed the first quarter's by
# more than LIMIT_FDS (default 16). A run of one life falls back to the quarter medians for memory.
#
# Prints the samples' summary; OUT/samples.csv has every sample (seconds, RSS in KiB, fds, the
# life's process id) and
# OUT/soak.json the run's report. BUILD_DIR=DIR runs that build as it is. Exit status: the stress run's (0 clean, 1 a violation, 2 the
# environment), or 1 when memory or descriptors grew.
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 2

duration=3600
threads=16
interval=10
out=/tmp/layerace-soak
extra=()
while (($#)); do
    case $1 in
    --duration) duration=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --interval) interval=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    -h | --help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "ci/soak.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
    esac
done
for v in "$duration" "$threads" "$interval"; do
    [[ $v =~ ^[1-9][0-9]*$ ]] || { echo "ci/soak.sh: '$v' is not a positive whole number" >&2; exit 2; }
done

# BUILD_DIR=DIR: use that build as it is (no set-up, no build).
if [[ -z ${BUILD_DIR:-} ]]; then
    ci/setup.sh >/dev/null || exit 2
    ci/build.sh default >/dev/null || exit 2
fi
bin=${BUILD_DIR:-build/default}/layerace
rm -rf "$out" && mkdir -p "$out" || exit 2

# Every fault, each at a rate that leaves the run doing useful work: random ENOSPC, EIO, EBUSY and
# WT_ROLLBACK, a panic at each life's 500th WiredTiger checkpoint call (about 5 minutes in) unless
# a kill (every 5 to 15 minutes) comes first. A life lasts minutes, long enough for a leak inside
# one to show in the samples.
faults=(--wt-faults "seed=$duration,rate=0.0002,checkpoint.wt@500=panic"
    --restart-every 20 --crash-every 600)

"$bin" stress --seed 1 --threads "$threads" --duration "$duration" "${faults[@]}" \
    --quiet --json "$out/soak.json" --out "$out/run" "${extra[@]}" >"$out/stress.log" 2>&1 &
pid=$!
echo "soak: pid $pid, ${duration} s at $threads threads: ${faults[*]} ${extra[*]}"
echo "seconds,rss_kib,fds,life" >"$out/samples.csv"
start=$(date +%s)
# With --crash-every the engine runs in a child (a life) of the stress process: the samples are
# of the whole tree, the stress process and its children.
while kill -0 "$pid" 2>/dev/null; do
    rss=0 fds=0
    kids=$(pgrep -P "$pid" | head -n 1)
    for p in $pid $kids; do
        r=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null) || continue
        rss=$((rss + ${r:-0}))
        fds=$((fds + $(find "/proc/$p/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)))
    done
    ((rss > 0)) && echo "$(($(date +%s) - start)),$rss,$fds,${kids:-$pid}" >>"$out/samples.csv"
    sleep "$interval"
done
wait "$pid"
rc=$?
tail -n 30 "$out/stress.log"

python3 - "$out/samples.csv" "$duration" "${LIMIT_RSS_PCT:-20}" "${LIMIT_FDS:-16}" <<'EOF'
import csv, sys
rows = [(int(r["seconds"]), int(r["rss_kib"]), int(r["fds"]), r["life"])
        for r in csv.DictReader(open(sys.argv[1]))]
duration, rss_pct, fd_lim = int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
if len(rows) < 3:
    print("soak: too few samples to judge (%d)" % len(rows))
    sys.exit(2)
def median(v):
    v = sorted(v)
    return v[len(v) // 2]
# The warm-up: WiredTiger's cache and the tables' files fill for the first minutes.
warm_s = max(duration / 10, min(300, duration / 2))
warm = [r for r in rows if r[0] >= warm_s] or rows[1:]
q = max(1, len(warm) // 4)
rss0, rss1 = median([r[1] for r in warm[:q]]), median([r[1] for r in warm[-q:]])
fds0, fds1 = median([r[2] for r in warm[:q]]), median([r[2] for r in warm[-q:]])
# Each life's peak, in the order the lives ran (a life of fewer than 3 samples is too short to
# have filled its cache, so it is left out).
lives, order = {}, []
for r in rows:
    if r[3] not in lives:
        lives[r[3]] = []
        order.append(r[3])
    lives[r[3]].append(r)
peaks = [(max(x[1] for x in lives[l]), lives[l][0][0], len(lives[l])) for l in order if len(lives[l]) >= 3]
print("soak: %d samples over %d s, %d lives" % (len(rows), rows[-1][0], len(order)))
for i, (pk, t0, n) in enumerate(peaks):
    print("soak: life %d from %d s, %d samples, peak RSS %d KiB" % (i + 1, t0, n, pk))
if len(peaks) >= 2:
    h = len(peaks) // 2
    first, last = max(p[0] for p in peaks[:h]), max(p[0] for p in peaks[h:])
    growth = 100.0 * (last - first) / first
    what = "the highest life peak of the second half of the lives %d KiB, of the first half %d KiB" % (last, first)
else:
    growth = 100.0 * (rss1 - rss0) / rss0
    what = "RSS median %d KiB in the first quarter after the warm-up, %d KiB in the last" % (rss0, rss1)
print("soak: memory: %s (%+.1f%%); whole-run RSS median %d then %d KiB, peak %d KiB" % (what, growth, rss0, rss1, max(r[1] for r in warm)))
print("soak: fds after the warm-up (%d s): median %d then %d (%+d), peak %d"
      % (warm[0][0], fds0, fds1, fds1 - fds0, max(r[2] for r in warm)))
bad = []
if growth > rss_pct:
    bad.append("RSS grew %.1f%% (limit %.0f%%)" % (growth, rss_pct))
if fds1 - fds0 > fd_lim:
    bad.append("descriptors grew by %d (limit %d)" % (fds1 - fds0, fd_lim))
if bad:
    print("soak: not flat: " + "; ".join(bad))
    sys.exit(1)
print("soak: flat")
EOF
flat=$?
if ((rc != 0)); then
    echo "soak: the stress run exited $rc"
    exit "$rc"
fi
exit "$flat"
