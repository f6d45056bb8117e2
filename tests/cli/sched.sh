#!/usr/bin/env bash
# tests/cli/sched.sh CASE LAYERACE WORKDIR -- the controlled scheduler from the command line
# (ctest label "sched"): determinism under each strategy, exact replay of a recorded schedule,
# divergence from a tampered one, the scheduler knobs' errors.
#
# Each CASE is a function below; it prints what it checks and exits nonzero on the first
# failure. WORKDIR is emptied first. Runs are small (a few hundred operations, fixed seeds).
set -uo pipefail

if (($# != 3)); then
    echo "usage: tests/cli/sched.sh CASE LAYERACE WORKDIR" >&2
    exit 2
fi
case=$1
bin=$2
work=$3

# Sourced before the cd below: the path of this script may be relative.
# shellcheck source=tests/cli/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 2
rm -rf "$work"
mkdir -p "$work"
cd "$work" || exit 2

small=(--threads 2 --data-threads 2 --ops 200 --nodes 3 --tables 3 --quiet)

# --check-determinism under STRATEGY: the two runs take the same steps. pct and urw learn from
# the step counts of an earlier run of the same configuration, so one goes first.
determinism() {
    local strategy=$1
    if [[ $strategy == pct || $strategy == urw ]]; then
        expect 0 "$bin" stress --seed 21 "${small[@]}" --sched random --out o
        compgen -G "o/steps-*.txt" >/dev/null || fail "no step counts written"
    fi
    expect 0 "$bin" stress --seed 5 "${small[@]}" --sched "$strategy" --check-determinism --out o
    has out.txt "^determinism check: first run: $strategy, n 8 threads, k [0-9]+ "
    has out.txt '^determinism check: passed: both runs took the same [0-9]+ steps'
    has out.txt "^  scheduler    $strategy, n 8 threads, k [0-9]+ scheduling points"
    [[ $strategy == pct ]] && has out.txt 'bound 1/\(n k\^\(d-1\)\) = 1/\(8\*[0-9]+\^2\)'
    [[ $strategy == urw ]] && has out.txt 'weights from the estimate run'
    echo "ok: $strategy: the two runs took the same steps"
}

# A recorded run replays exactly: the same trace hash from the repro file, for a clean run and
# for one that finds a violation (policy off lets schema operations overlap transitions).
replay() {
    local first second
    expect 0 "$bin" stress --seed 8 "${small[@]}" --sched pos --out o
    has out.txt '^result: clean'
    has o/repro-8.conf '^sched=pos$'
    has o/repro-8.conf '^schedule=o/schedule-8\.txt$'
    has o/schedule-8.txt '^end [0-9]+ [0-9a-f]{16}$'
    first=$(trace_of out.txt)
    [[ -n $first ]] || fail "no trace hash in the summary"
    grep -q "^end [0-9]* $first\$" o/schedule-8.txt || fail "the schedule's end line is not $first"
    expect 0 "$bin" replay o/repro-8.conf
    second=$(trace_of out.txt)
    [[ $first == "$second" ]] || fail "replay's trace $second, the recorded run's $first"
    echo "ok: a clean run replays with the same trace $first"

    expect 1 "$bin" stress --seed 3 "${small[@]}" --sched random --policy off --out v --no-shrink
    has out.txt '^result: violation'
    first=$(trace_of out.txt)
    cp out.txt first.txt
    rm -rf v/db-3
    expect 1 "$bin" replay v/repro-3.conf --no-shrink
    second=$(trace_of out.txt)
    [[ $first == "$second" ]] || fail "replay's trace $second, the recorded run's $first"
    # the same violations (their text may quote a freed table's name: garbage, not compared)
    diff <(grep -Eo '^violation [0-9]+ of [0-9]+: [A-Za-z0-9]+' first.txt) \
        <(grep -Eo '^violation [0-9]+ of [0-9]+: [A-Za-z0-9]+' out.txt) ||
        fail "the replay found other violations"
    echo "ok: a run with violations replays them, with the same trace $first"
}

# A tampered schedule: the replay stops where it no longer matches, and says so (exit 2).
diverge() {
    local line step tid
    expect 0 "$bin" stress --seed 9 "${small[@]}" --sched random --out o
    # the 40th choice: name a point the thread is not at
    line=$(grep -v '^#' o/schedule-9.txt | sed -n 40p)
    read -r step tid _ <<<"$line"
    [[ -n $step ]] || fail "the schedule has fewer than 40 choices"
    awk -v n=40 '!/^#/ { c++ } !/^#/ && c == n { $3 = "at"; $4 = "bogus.point"; $5 = 7 } { print }' \
        o/schedule-9.txt >tampered.txt
    expect 2 "$bin" stress --seed 9 "${small[@]}" --sched random --out o2 --schedule tampered.txt
    has err.txt "^layerace: schedule diverged at step $step: thread $tid expected at at bogus\.point@7, found at "
    has err.txt '^threads now:'
    echo "ok: a tampered choice stops the replay at step $step (exit 2)"

    # a schedule cut short: the replay runs out of choices
    head -n 30 o/schedule-9.txt >short.txt
    expect 2 "$bin" stress --seed 9 "${small[@]}" --sched random --out o3 --schedule short.txt
    has err.txt '^layerace: schedule diverged at step [0-9]+: the schedule has no more choices'
    echo "ok: a schedule cut short stops the replay (exit 2)"

    printf '1 2 lock\n' >broken.txt
    expect 2 "$bin" stress --seed 9 "${small[@]}" --sched random --out o4 --schedule broken.txt
    has err.txt 'broken\.txt:1: expected'
    echo "ok: a malformed schedule is refused before the run"
}

# The knobs' errors: each exits 2 with a message naming the problem.
options() {
    expect 2 "$bin" stress --sched sometimes --ops 10
    has err.txt "--sched wants free, random, pct, pos, urw or follow, not 'sometimes'"
    expect 2 "$bin" stress --sched random --out o
    has err.txt '--sched random runs a bounded number of operations: give --ops N'
    expect 2 "$bin" stress --schedule x.txt --ops 10 --out o
    has err.txt '--schedule x\.txt needs a controlled --sched'
    expect 2 "$bin" stress --check-determinism --ops 10 --out o
    has err.txt '--check-determinism needs a controlled --sched'
    expect 2 "$bin" stress --sched pct --depth 0 --ops 10 --out o
    has err.txt '--depth wants a whole number in 1\.\.16'
    expect 2 "$bin" stress --sched random --ops 10 --out o --schedule missing.txt
    has err.txt 'cannot open the schedule missing\.txt'
    # a free run's line and repro file do not mention the scheduler
    expect 0 "$bin" stress --dry-run --seed 1 --out o
    grep -q -- '--sched' out.txt && fail "a free run prints --sched"
    grep -q '^sched' o/repro-1.conf && fail "a free run's repro file names the scheduler"
    expect 0 "$bin" stress --dry-run --seed 1 --sched pct --depth 2 --ops 10 --out o
    has out.txt ' --sched pct --depth 2 --schedule o/schedule-1\.txt '
    echo "ok: the scheduler knobs' errors exit 2; free runs do not mention them"
}

case $case in
determinism_random | determinism_pct | determinism_pos | determinism_urw)
    determinism "${case#determinism_}"
    ;;
replay | diverge | options) "$case" ;;
*)
    echo "tests/cli/sched.sh: unknown case '$case'" >&2
    exit 2
    ;;
esac
