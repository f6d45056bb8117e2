#!/usr/bin/env bash
# ci/soak.sh [--duration SEC] [--threads N] [--interval SEC] [--out DIR] [-- STRESS OPTIONS...]
#
# The long stress job: `layerace stress` for an hour (default) at 16 schema threads with node
# restarts, process kills and injected WiredTiger errors (panics included) on, sampling
# the resident memory and open file descriptors of the run's processes every --interval seconds.
# Both must stay flat: after a warm-up (a tenth of the run, at least 5 minutes or half a short run),
# the median of the last quarter of the samples may not exceed the first quarter's by more than
# LIMIT_RSS_PCT percent (default 20) or LIMIT_FDS descriptors (default 16).
#
# Prints the samples' summary; OUT/samples.csv has every sample (seconds, RSS in KiB, fds) and
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
    -h | --help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
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
echo "seconds,rss_kib,fds" >"$out/samples.csv"
start=$(date +%s)
# With --crash-every the engine runs in a child (a life) of the stress process: the samples are
# of the whole tree, the stress process and its children.
while kill -0 "$pid" 2>/dev/null; do
    rss=0 fds=0
    for p in $pid $(pgrep -P "$pid"); do
        r=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null) || continue
        rss=$((rss + ${r:-0}))
        fds=$((fds + $(find "/proc/$p/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)))
    done
    ((rss > 0)) && echo "$(($(date +%s) - start)),$rss,$fds" >>"$out/samples.csv"
    sleep "$interval"
done
wait "$pid"
rc=$?
tail -n 30 "$out/stress.log"

python3 - "$out/samples.csv" "$duration" "${LIMIT_RSS_PCT:-20}" "${LIMIT_FDS:-16}" <<'EOF'
import csv, sys
rows = [(int(r["seconds"]), int(r["rss_kib"]), int(r["fds"])) for r in csv.DictReader(open(sys.argv[1]))]
duration, rss_pct, fd_lim = int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
if len(rows) < 3:
    print("soak: too few samples to judge (%d)" % len(rows))
    sys.exit(2)
# The warm-up: WiredTiger's cache and the tables' files fill for the first minutes.
warm_s = max(duration / 10, min(300, duration / 2))
warm = [r for r in rows if r[0] >= warm_s] or rows[1:]
# Kills and injected panics restart the engine's life, so single samples swing: compare the
# medians of the first and the last quarter after the warm-up.
q = max(1, len(warm) // 4)
def median(v):
    v = sorted(v)
    return v[len(v) // 2]
rss0, rss1 = median([r[1] for r in warm[:q]]), median([r[1] for r in warm[-q:]])
fds0, fds1 = median([r[2] for r in warm[:q]]), median([r[2] for r in warm[-q:]])
growth = 100.0 * (rss1 - rss0) / rss0
print("soak: %d samples over %d s; after the warm-up (%d s): RSS median %d KiB in the first quarter,"
      " %d KiB in the last (%+.1f%%), peak %d KiB; fds median %d then %d (%+d), peak %d"
      % (len(rows), rows[-1][0], warm[0][0], rss0, rss1, growth, max(r[1] for r in warm), fds0,
         fds1, fds1 - fds0, max(r[2] for r in warm)))
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
