#!/usr/bin/env bash
# tests/cli/sched_scenario.sh LAYERACE WORKDIR NAME STRATEGY -- one catalogue scenario under the
# controlled scheduler (ctest race.NAME.sched, label "sched"): both expectations hold under
# STRATEGY and pass the determinism check (the same steps twice); the must-pass run's recorded
# schedule replays exactly (the same trace); a tampered schedule is reported as a divergence.
# LAYERACE is layerace-faults, which can put every hazard back. WORKDIR is emptied first.
set -uo pipefail

if (($# != 4)); then
    echo "usage: tests/cli/sched_scenario.sh LAYERACE WORKDIR NAME STRATEGY" >&2
    exit 2
fi
bin=$1
work=$2
name=$3
strategy=$4

rm -rf "$work"
mkdir -p "$work"
cd "$work" || exit 2

fail() {
    echo "FAIL: $*" >&2
    for f in out.txt err.txt; do
        echo "--- $f" >&2
        cat "$f" >&2
    done
    exit 1
}

# expect RC ARGS...: run layerace with ARGS, stdout in out.txt, stderr in err.txt.
expect() {
    local want=$1 rc
    shift
    "$bin" "$@" >out.txt 2>err.txt
    rc=$?
    ((rc == want)) || fail "'layerace $*' exited $rc, expected $want"
}

expect 0 run --expect both --seed 1 --sched "$strategy" --check-determinism --quiet --out o "$name"
n=$(grep -c '^    determinism check: passed: both runs took the same [0-9]* steps' out.txt)
# Under ASan a must-detect whose hazard is a use after free ends as a caught crash (a detection):
# that run has no second half to compare, so it counts without a determinism line.
crashed=$(grep -cE '^[a-z_]+ +must-detect seed [0-9]+ +crashed .*PASS$' out.txt || true)
((n + crashed == 2 && n >= 1)) || fail "expected 2 passed determinism checks, found $n ($crashed crashed must-detect runs)"
grep -q '^# 2 runs: 2 as expected, 0 not$' out.txt || fail "not every run was as expected"
echo "ok: $name under $strategy: must-pass and must-detect as expected, each run deterministic"

sched=o/$name.pass.1.schedule
[[ -s $sched ]] || fail "no schedule recorded in $sched"
want=$(sed -n 's/^end [0-9]* \([0-9a-f]\{16\}\)$/\1/p' "$sched")
[[ -n $want ]] || fail "$sched has no end line"
expect 0 run --expect pass --seed 1 --sched "$strategy" --schedule "$sched" --quiet --out r "$name"
grep -q "^    scheduler $strategy, .*trace $want\$" out.txt || fail "the replay's trace is not $want"
echo "ok: the recorded schedule replays exactly (trace $want)"

# Tamper: the first choice names another thread (the script is 0, a spawned thread 1).
line=$(grep -m1 '^[0-9]' "$sched")
if [[ -n $line ]]; then
    read -r step tid rest <<<"$line"
    other=$((tid == 0 ? 1 : 0))
    sed "s/^$step $tid $rest\$/$step $other $rest/" "$sched" >tampered.schedule
    expect 1 run --expect pass --seed 1 --sched "$strategy" --schedule tampered.schedule --quiet \
        --out t "$name"
    grep -q "schedule diverged at step $step" err.txt || fail "no divergence reported"
    grep -q 'error .*diverged from its schedule' out.txt || fail "the run is not an error"
    echo "ok: a tampered schedule is reported as a divergence at step $step"
fi
