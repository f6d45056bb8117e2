#!/usr/bin/env bash
# ci/sanitize.sh tsan|asan [--duration S] [--threads N] -- one sanitizer job (ci/tsan.sh and
# ci/asan.sh call it):
#   1. install what is missing, build the preset;
#   2. ctest, every test but the must-detect scenarios and explore's searches (seconds to minutes
#      of single-threaded controlled runs, which the default job runs), the env tests, the whole
#      catalogue re-run in one process (label rerun: steps 2 and 4 run each scenario), and the
#      stress must-detects and deadlock tests (a put-back race or a standing deadlock is a
#      sanitizer report before it is the violation they expect); under tsan also without
#      the upstream conformance cases (single-threaded model checks: default and asan run them)
#      and the controlled runs (one thread at a time, each step ordered by the scheduler's lock)
#      and the cursor stress's shrinking runs (label shrink: one thread, minutes of re-runs);
#   3. `layerace stress --threads 8 --duration S` with --policy reject, then --policy wait: each must
#      exit 0 with no sanitizer report (reports go to build/ci-stress/PRESET/*-report.PID);
#   4. the must-detect scenarios: `ctest -L must-detect` (each must be detected; not the cursor
#      stress's, label shrink: one thread, minutes of shrinking a logic defect).
# It goes through every step even after a failure and ends with one line,
# "=== PRESET result: PASS|FAIL (...)", which ci/test.sh reads. Exit 0 only if all passed.
#
# S defaults to 60 (the full job); ci/test.sh passes a shorter one. The stress runs use --fork,
# so a crash of the library or a sanitizer's exit is reported with its repro file and replay
# command. The seeds are drawn at random and printed on each run's first line.
set -euo pipefail

usage() {
    echo "usage: ci/sanitize.sh tsan|asan [--duration S] [--threads N]" >&2
    exit 2
}

(($# >= 1)) || usage
if [[ $1 == -h || $1 == --help ]]; then
    sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit 0
fi
preset=$1
shift
case $preset in
tsan | asan) ;;
*) usage ;;
esac
duration=60
threads=8
while (($# > 0)); do
    case $1 in
    --duration)
        (($# >= 2)) || usage
        [[ $2 =~ ^[0-9]+(\.[0-9]{1,3})?$ ]] || {
            echo "ci/sanitize.sh: --duration wants seconds, not '$2'" >&2
            usage
        }
        duration=$2
        shift 2
        ;;
    --threads)
        (($# >= 2)) || usage
        [[ $2 =~ ^[0-9]+$ ]] || {
            echo "ci/sanitize.sh: --threads wants a number, not '$2'" >&2
            usage
        }
        threads=$2
        shift 2
        ;;
    -h | --help)
        sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    *)
        echo "ci/sanitize.sh: unknown argument '$1'" >&2
        usage
        ;;
    esac
done

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD

ci/setup.sh
ci/build.sh "$preset"

bin=build/$preset/layerace
out=build/ci-stress/$preset
rm -rf "$out"
mkdir -p "$out"

# The options every sanitized run uses (the ctests get the same), plus a log_path for the stress
# runs below.
LR_ROOT=$root
# shellcheck source=ci/sanitizers.env
. ci/sanitizers.env

status=0
notes=()

echo
exclude='must-detect|explore|env|stressdetect|deadlock|rerun'
# Under tsan also without the controlled runs (label sched): the scheduler hands each step over
# through its own lock, so every step happens-before the next and TSan can report no race there.
[[ $preset == tsan ]] && exclude='must-detect|explore|env|stressdetect|deadlock|rerun|upstream|sched|shrink'
echo "=== $preset: ctest (all but $exclude)"
if ctest --preset "$preset" -LE "$exclude"; then
    notes+=("ctest ok")
else
    notes+=("ctest FAILED")
    status=1
fi

for policy in reject wait; do
    echo
    echo "=== $preset: layerace stress --threads $threads --duration $duration --policy $policy"
    report=$out/$policy-report
    rc=0
    TSAN_OPTIONS="$TSAN_OPTIONS:log_path=$root/$report" \
        ASAN_OPTIONS="$ASAN_OPTIONS:log_path=$root/$report" \
        UBSAN_OPTIONS="$UBSAN_OPTIONS:log_path=$root/$report" \
        "$bin" stress --threads "$threads" --duration "$duration" --policy "$policy" --fork \
        --quiet --out "$out" --json "$out/$policy.json" || rc=$?
    reports=("$report".*)
    nreports=0
    [[ -e ${reports[0]} ]] && nreports=${#reports[@]}
    if ((nreports > 0)); then
        echo "--- $nreports sanitizer report(s):"
        for r in "${reports[@]}"; do
            echo "--- $r"
            cat "$r"
        done
    fi
    if ((rc == 0 && nreports == 0)); then
        notes+=("stress $policy clean")
    else
        notes+=("stress $policy FAILED (exit $rc, $nreports sanitizer reports)")
        status=1
    fi
done

echo
# Without the cursor stress's detectors (label shrink): one thread finds a logic defect and
# re-runs it hundreds of times to shrink it, a minute under a sanitizer with no race and no
# memory error to see (the default job runs them). The catalogue's must-detects stay: a
# use-after-free there is what ASan reports.
only_detect=(-LE shrink)
echo "=== $preset: must-detect scenarios"
if ctest --preset "$preset" -L must-detect "${only_detect[@]}"; then
    notes+=("must-detect ok")
else
    notes+=("must-detect FAILED")
    status=1
fi

summary=$(
    IFS=,
    echo "${notes[*]}"
)
echo
if ((status == 0)); then
    echo "=== $preset result: PASS (${summary//,/, })"
else
    echo "=== $preset result: FAIL (${summary//,/, })"
fi
exit $status
