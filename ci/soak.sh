#!/usr/bin/env bash
# ci/soak.sh [--duration SEC] [--threads N] [--interval SEC] [--out DIR] [-- STRESS OPTIONS...]
#
# The long stress job: `layerace stress` for an hour (default) at 16 schema threads with node
# restarts, process kills (where the build has them) and injected WiredTiger errors on, sampling
# the run's resident memory and open file descriptors every --interval seconds. Both must stay
# flat: after a warm-up (a tenth of the run, at least 5 minutes or half a short run), neither may grow by
# more than LIMIT_RSS_PCT percent (default 20) or LIMIT_FDS descriptors (default 16).
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

# Every fault the build offers, each at a rate that leaves the run doing useful work.
faults=(--wt-faults "seed=$duration,rate=0.0005")
if "$bin" stress --help | grep -q -- '--restart-every'; then
    faults+=(--restart-every 20)
fi
if "$bin" stress --help | grep -q -- '--crash-every'; then
    faults+=(--crash-every 120)
fi

"$bin" stress --seed 1 --threads "$threads" --duration "$duration" "${faults[@]}" \
    --quiet --json "$out/soak.json" --out "$out/run" "${extra[@]}" >"$out/stress.log" 2>&1 &
pid=$!
echo "soak: pid $pid, ${duration} s at $threads threads: ${faults[*]} ${extra[*]}"
echo "seconds,rss_kib,fds" >"$out/samples.csv"
start=$(date +%s)
while kill -0 "$pid" 2>/dev/null; do
    rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null)
    fds=$(find "/proc/$pid/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
    [[ -n $rss ]] && echo "$(($(date +%s) - start)),$rss,$fds" >>"$out/samples.csv"
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
base, last = warm[0], rows[-1]
peak_rss = max(r[1] for r in warm)
peak_fds = max(r[2] for r in warm)
growth = 100.0 * (peak_rss - base[1]) / base[1]
slope = 60.0 * (last[1] - base[1]) / max(1, last[0] - base[0])
print("soak: %d samples; RSS %d KiB after warm-up (%d s), %d KiB at the end, peak %d KiB (+%.1f%%,"
      " %.0f KiB a minute since the warm-up); fds %d after warm-up, %d at the end, peak %d (+%d)"
      % (len(rows), base[1], base[0], last[1], peak_rss, growth, slope, base[2], last[2], peak_fds,
         peak_fds - base[2]))
bad = []
if growth > rss_pct:
    bad.append("RSS grew %.1f%% (limit %.0f%%)" % (growth, rss_pct))
if peak_fds - base[2] > fd_lim:
    bad.append("descriptors grew by %d (limit %d)" % (peak_fds - base[2], fd_lim))
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
