#!/usr/bin/env bash
# tests/cli/explore.sh CASE LAYERACE LAYERACE_FAULTS WORKDIR -- `layerace explore` (ctest label
# "explore"): it finds race class 1 with the hook off and a test-only defect within a stated
# number of runs, the found run replays exactly, a fixed budget under reject and wait is clean,
# and its knobs' errors exit 2. Runs are seeded: each case is the same every time.
set -uo pipefail

if (($# != 4)); then
    echo "usage: tests/cli/explore.sh CASE LAYERACE LAYERACE_FAULTS WORKDIR" >&2
    exit 2
fi
case=$1
bin=$2
fbin=$3
work=$4

# Sourced before the cd below: the path of this script may be relative.
# shellcheck source=tests/cli/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 2
rm -rf "$work"
mkdir -p "$work"
cd "$work" || exit 2

class1="I5: drop .* during the node's step-up"

# Policy off: class 1 (a drop taking effect during a step-up's drain) within 100 runs; the found
# run replays with the same trace hash and the same violations.
class1() {
    local first second repro
    expect 1 "$bin" explore --seed 3 --runs 100 --policy off --match "$class1" --out o --db-dir s \
        --json r.json --no-shrink
    has out.txt "^explore result: violation in run [0-9]+ of [0-9]+ \(seed [0-9]+, policy off, sched [a-z]+, after [0-9.]+ s\): $class1"
    has out.txt '^replay: rm -rf o/db-[0-9]+ && .*layerace replay o/repro-[0-9]+\.conf$'
    has out.txt '^database: s/db-[0-9]+ \(kept\)$'
    has r.json '"status": "violation"'
    repro=$(sed -n 's/^repro file: //p' out.txt | tail -n 1)
    [[ -f $repro ]] || fail "no repro file $repro"
    has "$repro" '^schedule=o/schedule-[0-9]+\.txt$'
    first=$(trace_of out.txt)
    [[ -n $first ]] || fail "no trace hash in the failing run's summary"
    cp out.txt first.txt
    rm -rf o/db-*
    expect 1 "$bin" replay "$repro" --no-shrink
    second=$(trace_of out.txt)
    [[ $first == "$second" ]] || fail "replay's trace $second, the found run's $first"
    has out.txt "^violation [0-9]+ of [0-9]+: $class1"
    echo "ok: class 1 found ($(grep -o 'in run [0-9]* of' first.txt)), replayed with trace $first"
}

# A test-only defect: drop_not_atomic under reject or wait within 30 runs (a drop that stays
# busy: liveness, after the 5 virtual seconds --liveness gives it).
fault() {
    expect 1 "$fbin" explore --seed 1 --runs 30 --faults drop_not_atomic --out o --db-dir s --no-shrink \
        --liveness 5
    has out.txt '^explore result: violation in run [0-9]+ of [0-9]+ \(seed [0-9]+, policy (reject|wait), .*did not go through in 5 s: EBUSY'
    echo "ok: drop_not_atomic found: $(sed -n 's/^explore result: //p' out.txt | cut -c1-120)"
}

# found FAULT SEED MATCH KNOBS...: explore with the fault put back finds a violation matching MATCH
# (an extended regex, anchored) under a policy that must end clean (or boundary).
found() {
    local f=$1 seed=$2 match=$3
    shift 3
    expect 1 "$fbin" explore --seed "$seed" "$@" --faults "$f" --out "o-$f" --db-dir "s-$f" \
        --no-shrink --match "$match"
    has out.txt "^explore result: violation in run [0-9]+ of [0-9]+ \\(seed [0-9]+, policy (reject|wait|boundary), .*\\): ${match#^}"
    echo "ok: $f found: $(sed -n 's/^explore result: //p' out.txt | cut -c1-100)"
}

# The data workers' races from the generic workload, no scenario script: class 6 (commit_no_gate:
# found in run 2 of seed 1) and class 5 (txn_strand: run 38 of seed 1) with 2 data workers, class
# 3 (write_role_reread: run 102 of seed 2) with 3 data workers and one schema worker, as I4 or I1;
# class 20 (commit_past_boundary: run 2 of seed 1) under the boundary policy on one table, as a
# boundary verdict; class 19 (txn_role_only: run 57 of seed 11) under PCT on two nodes, as I4;
# class 10 (role_keep_view: run 29 of seed 5) with 3 data workers whose scans span step-ups, as
# I1; classes 8 and 9 (pickup_research: run 7 of seed 1; unbound_no_pin: run 21 of seed 2) with
# no schema workers and a lagging log, as I1 of a judged scan's step. Controlled runs are
# deterministic, so the run numbers are fixed until the workload or the model changes.
data_faults() {
    local f seed knobs match
    for f in commit_no_gate:7 txn_strand:7 write_role_reread:9 commit_past_boundary:1 \
        txn_role_only:2 role_keep_view:3 drain_conflict:2 pickup_research:1 unbound_no_pin:2; do
        seed=${f#*:}
        f=${f%:*}
        knobs=(--runs 200 --data-threads 2)
        match='^I[14]: '
        case $f in
        write_role_reread) knobs=(--runs 250 --data-threads 3 --threads 1 --ops 30) ;;
        txn_role_only)
            # A transaction open across a step-down and step-up of its node: PCT stalls the data
            # worker at its lowest priority while the controller makes the round trip (2 nodes).
            knobs=(--runs 250 --sched pct --depth 3 --threads 1 --data-threads 2 --ops 30
                --nodes 2 --tables 1)
            match='^I4: '
            ;;
        role_keep_view)
            # A scan's reader pauses between steps (virtual time) while its node steps up.
            knobs=(--runs 150 --sched "pct,random,pos" --depth 3 --threads 1 --data-threads 3
                --ops 80 --nodes 2 --tables 1)
            match='^I[12]: '
            ;;
        commit_past_boundary)
            knobs=(--runs 150 --policy boundary --data-threads 2 --ops 24 --tables 1)
            match='^boundary: '
            ;;
        pickup_research | unbound_no_pin)
            # No schema worker: the table lives the whole run, data operations go through, and
            # a follower's copies lag (a checkpoint and a pickup under a positioned scan).
            knobs=(--runs 150 --sched "pct,pos,random" --depth 3 --threads 0 --data-threads 3
                --ops 600 --nodes 2 --tables 1 --lag 50)
            match='^I1: (next|prev) step from '
            ;;
        drain_conflict)
            # A follower's copy applied twice (--redeliver), its late commit open across a
            # step-down and the follower's step-up: the drain's emptying meets the conflict.
            knobs=(--runs 150 --sched "pct,pos,random" --depth 3 --threads 1 --data-threads 3
                --ops 40 --nodes 2 --tables 1)
            match='^transition: step-up of node [0-9]+: .*emptying ingest failed'
            ;;
        *) ;;
        esac
        found "$f" "$seed" "$match" "${knobs[@]}"
    done
}

# Must pass: 30 runs under reject and wait end clean and leave no database behind (in --out,
# in the default tmpfs directory, in a given --db-dir).
clean() {
    local shm_before
    shm_before=$(compgen -G "/dev/shm/layerace-explore-*" | sort)
    expect 0 "$bin" explore --seed 11 --runs 10 --out o
    [[ $(compgen -G "/dev/shm/layerace-explore-*" | sort) == "$shm_before" ]] ||
        fail "the default database directory was left in /dev/shm"
    expect 0 "$bin" explore --seed 11 --runs 10 --out o --db-dir s
    # Run 4 of seed 1 commits a write as the run's operations run out, while a node refuses its
    # copy: the copy must still be applied (it once was dropped, a lost row, I1).
    expect 0 "$bin" explore --seed 1 --runs 10 --out o
    [[ -z $(ls -A s) ]] || fail "a clean run left its database in --db-dir: $(ls s)"
    rm -rf o
    expect 0 "$bin" explore --seed 11 --runs 30 --policy reject,wait --out o --json r.json
    has out.txt '^explore result: clean: 30 runs, no violation'
    has out.txt '^  policies     reject 15, wait 15$'
    has out.txt '^explore: 30 runs in [0-9.]+ s, [0-9.]+ runs/s; n 6 threads, k [0-9]+ '
    has r.json '"status": "clean"'
    has r.json '"runs": 30'
    compgen -G "o/db-*" >/dev/null && fail "a clean run left its database"
    compgen -G "o/schedule-*" >/dev/null && fail "a clean run left its schedule"
    echo "ok: 30 runs under reject and wait are clean"
    # The data-only workload (no schema worker: the tables exist from the start) with a lagging
    # log, the one that finds classes 8 and 9 with their faults, is clean without them.
    expect 0 "$bin" explore --seed 4 --runs 15 --sched pct,pos,random --depth 3 --threads 0 \
        --data-threads 3 --ops 600 --nodes 2 --tables 1 --lag 50 --out o
    has out.txt '^explore result: clean: 15 runs, no violation'
    echo "ok: 15 data-only runs with a lagging log are clean"
}

options() {
    expect 2 "$bin" explore --runs 0
    has err.txt 'nothing ends the search'
    expect 2 "$bin" explore --policy none
    has err.txt '--policy needs at least one policy'
    expect 2 "$bin" explore --policy assert
    has err.txt "--policy"
    expect 2 "$bin" explore --sched free
    has err.txt "--sched"
    expect 2 "$bin" explore --match '('
    has err.txt "--match '\(':"
    expect 0 "$bin" explore --help
    has out.txt '^usage: .*explore \[OPTIONS\]'
    expect 0 "$bin" help explore
    echo "ok: explore's knobs' errors exit 2"
}

# The rest of the catalogue from the generic workload, each with its hazard: class 2 (policy
# off), class 4
# (drain_open_only), 7 (ckpt_unlocked), 11 (pickup_stale_bind), 15 (bg_no_recheck, with the
# background round), 17 (stable_no_config), the boundary's must-detect (stepdown_leak), the
# lock-at-acquisition hook (hook_at_lock, I9), a wait inside a read-side section (wait_in_section:
# a deadlock, reported with its cycle) and class 12 (drop_lock_invert: the library's rank check
# aborts the process, which leaves a crash note and a repro). The seeds find each early.
catalogue_faults() {
    local f seed knobs match rc
    for f in drain_open_only:5 ckpt_unlocked:1 pickup_stale_bind:4 bg_no_recheck:1 \
        stable_no_config:1 stepdown_leak:1 hook_at_lock:1; do
        seed=${f#*:}
        f=${f%:*}
        knobs=(--runs 100)
        case $f in
        drain_open_only)
            knobs=(--runs 100 --threads 2 --data-threads 2 --ops 40 --tables 1)
            match='^I1: '
            ;;
        ckpt_unlocked) match='^I4: node [0-9]+ published checkpoint [0-9]+ .* while it was a follower' ;;
        pickup_stale_bind) match='^I[17]: ' ;;
        bg_no_recheck)
            knobs=(--runs 100 --bg 30)
            match='^I4: node [0-9]+ published checkpoint [0-9]+ .* while it was a follower'
            ;;
        stable_no_config) match='^(contract|transition|config): .*configuration' ;;
        stepdown_leak)
            knobs=(--runs 100 --policy boundary)
            match='^(I5|boundary): '
            ;;
        hook_at_lock) match='^(I9|I4): .*EBUSY' ;;
        *) fail "no knobs for $f" ;;
        esac
        found "$f" "$seed" "$match" "${knobs[@]}"
    done
    # Class 2 with the hook off (class 1 has its own case above).
    expect 1 "$bin" explore --seed 1 --runs 60 --policy off --match "I5: create .* during the node's step-up" \
        --out o-c2 --db-dir s-c2 --no-shrink
    has out.txt "^explore result: violation in run [0-9]+ of [0-9]+ \\(seed [0-9]+, policy off, .*\\): I5: create "
    echo "ok: create_during_stepup found: $(sed -n 's/^explore result: //p' out.txt | cut -c1-100)"
    expect 1 "$fbin" explore --seed 1 --runs 20 --faults wait_in_section --out o-w --db-dir s-w
    has err.txt '^layerace: controlled scheduler: deadlock at step [0-9]+: (no thread can run|only the maintenance threads ran for [0-9.]+ virtual s)$'
    has err.txt '^cycle: thread [0-9]+ .* waits at grace rcu@[0-9]+ for -> .* cond hook.wait'
    echo "ok: wait_in_section found: a deadlock through a grace period and the hook's wait"
    rc=0
    "$fbin" explore --seed 1 --runs 20 --faults drop_lock_invert --out o-d --db-dir s-d \
        >out.txt 2>err.txt || rc=$?
    ((rc == 134)) || fail "drop_lock_invert: explore exited $rc, not with the rank check's abort"
    has err.txt 'lock order violation \(I8\): taking node.transition_lock .* while holding node.catalog_lock'
    compgen -G "o-d/crash-*.txt" >/dev/null || fail "drop_lock_invert: no crash note"
    compgen -G "o-d/repro-*.conf" >/dev/null || fail "drop_lock_invert: no repro file"
    echo "ok: drop_lock_invert found: the rank check's abort, with a crash note and a repro"
}

case $case in
class1 | fault | data_faults | catalogue_faults | clean | options) "$case" ;;
*)
    echo "tests/cli/explore.sh: unknown case '$case'" >&2
    exit 2
    ;;
esac
