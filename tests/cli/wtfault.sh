#!/usr/bin/env bash
# wtfault.sh CASE LAYERACE LAYERACE_FAULTS WORKDIR -- stress with injected WiredTiger errors.
#   clean:  the injected faults are counted and handled, the run ends clean (exit 0), the summary
#           and the JSON report count them, the repro file records the spec, a bad spec exits 2.
#   detect: with the test-only defect wtf_ignored a failed step-up still leads: exit 1, caught.
#   panic:  an injected WT_PANIC (random, and at the first step-up drain's first remove) ends a
#           --crash-every life as a kill does; the next recovers the home and checks it: clean,
#           the panics counted apart from the kills; without --crash-every a panic is refused.
set -u
case_name=$1 bin=$2 fbin=$3 work=$4
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
fail() { echo "FAIL: $*"; exit 1; }

case $case_name in
clean)
    "$bin" stress --seed 11 --duration 8 --threads 4 --policy reject \
        --wt-faults seed=3,rate=0.003 --out out --json out.json --quiet >log 2>&1
    rc=$?
    [[ $rc -eq 0 ]] || { cat log; fail "exit $rc, expected 0"; }
    grep -Eq '^  wt faults    injected [1-9][0-9]* \(enospc' log || { cat log; fail "no count"; }
    grep -q '"wt_faults_handled": ' out.json || fail "no wt_faults_handled in the JSON report"
    grep -q '^wt-faults=seed=3,rate=0.003$' out/repro-11.conf || fail "the repro lacks the spec"
    "$bin" stress --duration 1 --wt-faults 'rate=7' --out bad >badlog 2>&1
    rc=$?
    [[ $rc -eq 2 ]] || fail "a bad spec exited $rc, expected 2"
    grep -q 'wt-faults.*rate' badlog || { cat badlog; fail "no clear message"; }
    ;;
detect)
    "$fbin" stress --seed 11 --duration 20 --threads 4 --policy reject --faults wtf_ignored \
        --wt-faults seed=3,rate=0.002,sites=drain. --out out --quiet >log 2>&1
    rc=$?
    [[ $rc -eq 1 ]] || { cat log; fail "exit $rc, expected 1"; }
    grep -q 'wtfault: step-up of node [0-9]* failed with an injected error, yet the node leads' log ||
        { cat log; fail "the defect was not reported"; }
    ;;
panic)
    # Two schema threads and three data workers: the oracle holds rows at most kills even in a
    # sanitizer build (four schema threads dropped and truncated it empty at every kill there).
    "$bin" stress --seed 7 --duration 12 --threads 2 --data-threads 3 --policy wait --crash-every 30 \
        --wt-faults seed=2,rate=0.0004,kinds=panic+eio,drain.remove@1=panic --out out \
        --json out.json --quiet >log 2>&1
    rc=$?
    [[ $rc -eq 0 ]] || { cat log; fail "exit $rc, expected 0"; }
    grep -Eq '^  kills        [1-9][0-9]* survived, [1-9][0-9]* of them after an injected panic' \
        log || { cat log; fail "no panic counted"; }
    grep -Eq '"panics": [1-9]' out.json || fail "no panics in the JSON report"
    grep -Eq '"wt_faults_panic": [1-9]' out.json || fail "the injected panics are not counted"
    grep -Eq '"rows_checked": [1-9]' out.json || { cat log; fail "no rows checked after the panics"; }
    grep -Eq '^  violations   0 ' log || { cat log; fail "violations"; }
    "$bin" stress --duration 1 --wt-faults seed=1,rate=0.01,kinds=panic --out nocrash >badlog 2>&1
    rc=$?
    [[ $rc -eq 2 ]] || fail "a panic without --crash-every exited $rc, expected 2"
    grep -q 'an injected panic needs --crash-every' badlog || { cat badlog; fail "no clear message"; }
    ;;
*) fail "unknown case $case_name" ;;
esac
echo "PASS: wtfault $case_name"
