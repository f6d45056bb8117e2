#!/usr/bin/env bash
# tests/cli/trace.sh CASE LAYERACE LAYERACE_FAULTS WORKDIR -- seeing and cutting down a race
# (ctest label "trace"): a class-1 race found by explore shrinks within stated bounds and its
# shrunk repro replays to the same violation; traces are valid Chrome trace-event JSON (nested
# slices, flows, bounded) and two traces of one schedule are identical; a deadlock the lock ranks
# cannot see (the test-only wait_in_section) is reported under the scheduler and by the free-mode
# watchdog, naming the two waits; `cursor --trace` has a track per side with every operation on
# each, repeats byte for byte, and a shrunk divergence's trace shows it. Seeded: each case is the
# same every time.
set -uo pipefail

if (($# != 4)); then
    echo "usage: tests/cli/trace.sh CASE LAYERACE LAYERACE_FAULTS WORKDIR" >&2
    exit 2
fi
case=$1
bin=$2
fbin=$3
work=$4
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
check="python3 $here/trace_check.py"

rm -rf "$work"
mkdir -p "$work"
cd "$work" || exit 2

# shellcheck source=tests/cli/lib.sh
source "$here/lib.sh"

class1="I5: drop of table t[0-9]+ on node [0-9]+ took effect during the node's step-up"
small=(--threads 2 --data-threads 1 --ops 12 --nodes 2 --tables 2 --quiet)

# Explore finds class 1 (policy off); the shrunk run has at most 16 preemptions, 12 operations
# and 320 steps (measured: 173 preemptions, 11 operations -> 14, 9; 238 steps, with the per-node
# maintenance threads; 76 -> 3 preemptions and 107 steps before them), shows as a swimlane
# with the violation, and its repro replays exactly to the same violation.
shrink() {
    local line pre ops steps repro
    expect 1 "$bin" explore --seed 2 --runs 60 --policy off --match "I5: drop .* during the node's step-up" --out o
    has out.txt '^shrinking: keeping "I#: drop of table t# on node # took effect during the node.s step-up \(generation #\)"$'
    line=$(grep '^shrunk: ' out.txt) || fail "no reduction line"
    [[ $line =~ -\>\ ([0-9]+)\ threads,\ ([0-9]+)\ ops,\ ([0-9]+)\ preemptions?\ in\ [0-9.]+\ s\ \([0-9]+\ runs\;\ 1-minimal\)$ ]] ||
        fail "the reduction line: $line"
    ops=${BASH_REMATCH[2]}
    pre=${BASH_REMATCH[3]}
    ((pre <= 16 && ops <= 12)) || fail "shrunk to $ops operations and $pre preemptions: $line"
    steps=$(sed -n 's/^shrunk run: \([0-9]*\) steps, .*/\1/p' out.txt)
    ((steps > 0 && steps <= 320)) || fail "the shrunk run has $steps steps"
    has out.txt "^shrunk run: [0-9]+ steps, the violation: $class1"
    has out.txt '^  step \|.*\| controller +\| schema-[0-9]'
    has out.txt "^ +[0-9]+ !! schema-[0-9]+: violation $class1"
    has out.txt '\| admit drop t[0-9]@[0-9]'
    has out.txt '\| step-up node [0-9] \[transition'
    repro=$(sed -n 's/^shrunk repro: \([^;]*\);.*/\1/p' out.txt)
    [[ -f $repro ]] || fail "no shrunk repro $repro"
    has "$repro" '^thread-ops=[0-9,]+$'
    has "$repro" '^schedule=o/shrunk-[0-9]+/schedule\.txt$'
    $check "${repro%/*}"/trace-*.json --need hook --need violation --need sched >check.txt ||
        fail "the shrunk run's trace: $(cat check.txt)"
    expect 1 "$bin" replay "$repro"
    has out.txt "^violation [0-9]+ of [0-9]+: $class1"
    has out.txt "^  scheduler    [a-z]+, n 6 threads, k $steps scheduling points \([0-9]+ choices, $pre preemptions?\)"
    hasnt err.txt 'diverged'
    hasnt out.txt '^shrinking'
    echo "ok: $line; $steps steps; the shrunk repro replays to the violation"
}

# Traces: a controlled run under reject (flows from transitions to the operations they rejected),
# a free run bounded to 64 events a thread, each validated; two traces of one schedule are equal.
json() {
    expect 0 "$bin" stress --seed 5 "${small[@]}" --ops 60 --sched random --policy reject --out o --trace t1.json
    has out.txt '^trace: t1\.json \([0-9]+ events; 0 dropped'
    $check t1.json --need op --need lib --need hook --need transition --need phase --need sched --flows >check.txt ||
        fail "the controlled trace: $(cat check.txt)"
    cat check.txt
    rm -rf o/db-5
    expect 0 "$bin" replay o/repro-5.conf --trace t2.json
    cmp t1.json t2.json || fail "two traces of one schedule differ"
    expect 0 "$bin" stress --seed 6 "${small[@]}" --ops 3000 --policy wait --out f --trace f.json --trace-events 64
    has out.txt '^trace: f\.json \([0-9]+ events, [1-9][0-9]* dropped, the oldest\)'
    $check f.json --max-per-thread 80 --need op --need hook >check.txt ||
        fail "the free trace: $(cat check.txt)"
    cat check.txt
    expect 2 "$bin" stress --trace-events 3 --ops 1
    has err.txt 'trace-events'
    expect 0 "$bin" run --expect detect --sched random --trace r.json create_during_stepup
    has out.txt '^    trace r\.json$'
    $check r.json --need hook --need sched >check.txt || fail "the scenario's trace: $(cat check.txt)"
    has check.txt 'script, t1'
    expect 2 "$bin" shrink f/repro-6.conf
    has err.txt "a free run's repro file: only a controlled run \(--sched\) can be shrunk"
    expect 2 "$bin" shrink
    has err.txt '^usage: .*shrink REPRO'
    echo "ok: controlled and free traces are valid; a replay's trace is the same file"
}

# The test-only wait_in_section: a schema operation waits for the transition inside its read-side
# section while the transition's grace period waits for it. Controlled: a deadlock with the
# wait-for graph and the cycle through the two waits, the repro and the trace kept, exit 1.
deadlock_sched() {
    expect 1 "$fbin" stress --seed 1 "${small[@]}" --ops 40 --policy wait --faults wait_in_section --sched random --out o
    has err.txt '^layerace: controlled scheduler: deadlock at step [0-9]+: (no thread can run|only the maintenance threads ran for [0-9.]+ virtual s)$'
    has err.txt '^  thread 0 \(controller\): blocked: grace rcu@[0-9] \(readers: thread [0-9](, thread [0-9])*\)'
    has err.txt '^  thread [0-9] \(schema-[0-9]\): blocked: cond hook\.wait@[0-9]'
    has err.txt '^wait-for graph'
    has err.txt '^cycle: thread 0 \(controller\) waits at grace rcu@[0-9] for -> thread [0-9] \(schema-[0-9]\) waits at cond hook\.wait@[0-9] for -> thread 0$'
    has err.txt '^layerace: deadlock: trace o/trace-1\.json, repro file o/repro-1\.conf$'
    $check o/trace-1.json --need sched >check.txt || fail "the deadlock's trace: $(cat check.txt)"
    rm -rf o/db-1
    expect 1 "$fbin" replay o/repro-1.conf
    has err.txt '^cycle: thread 0 \(controller\) waits at grace rcu'
    echo "ok: the controlled deadlock is reported with its cycle and replays"
}

# Free: the watchdog (3 s here, 120 s by default) reports every thread, with the two waits.
deadlock_free() {
    expect 1 timeout 100 "$fbin" stress --seed 1 "${small[@]}" --ops 0 --duration 30 --policy wait --faults wait_in_section --watchdog 3 --out o
    has err.txt '^layerace-faults: watchdog: no progress for [0-9.]+ s: the run hangs'
    has err.txt '^  thread 0 \(controller\): in step-(up|down) node@[0-9]; .*; waiting: grace@[0-9]; holds .*node\.transition_lock'
    has err.txt '^  thread [0-9] \(schema-[0-9]\): in [a-z]+ t[0-9]@[0-9]; last point at hook\.[a-z_]+@[0-9]; waiting: hook\.wait@[0-9]'
    has err.txt '^layerace-faults: watchdog: repro file: o/repro-1\.conf'
    echo "ok: the free-mode watchdog reports the hang with the two waits"
}

# The cursor stress: a track per side (oracle, node 0, node 1) with a slice per operation on each,
# as the --listing text has them; two traces of one seed are the same file; a bounded trace keeps
# the last N events a track; the listing still goes to stdout; an unwritable trace is exit 2.
cursor() {
    local n
    # seed 5: long results too (an edge value), cut to fit their event
    expect 0 "$bin" cursor --seed 5 --ops 3000 --out o --quiet --trace t1.json --listing l.txt
    has out.txt '^trace: t1\.json \([0-9]+ events; 0 dropped'
    $check t1.json --need op --need lib --need hook --need phase --thread oracle --thread "node 0" \
        --thread "node 1" --thread driver --sides l.txt >check.txt ||
        fail "the cursor trace: $(cat check.txt)"
    cat check.txt
    n=$(grep -c '"cat":"op","ph":"X",.*"tid":1,' t1.json)
    has out.txt "^seed 5: 3000 operations \($n compared, [0-9]+ parked follower steps\)"
    has t1.json '"result":"rc=0 [^}]*[^"]\.\.\."' # a cut one (a value's own end is \"...)
    expect 0 "$bin" cursor --seed 5 --ops 3000 --out o --quiet --trace t2.json
    cmp t1.json t2.json || fail "two traces of cursor seed 5 differ"
    expect 0 "$bin" cursor --seed 3 --ops 3000 --out o --quiet --trace b.json --trace-events 64
    has out.txt '^trace: b\.json \([0-9]+ events, [1-9][0-9]* dropped, the oldest\)'
    $check b.json --max-per-thread 64 --thread oracle >check.txt ||
        fail "the bounded cursor trace: $(cat check.txt)"
    expect 0 "$bin" cursor --seed 3 --ops 40 --out o --quiet --listing -
    [[ $(grep -Ec '^[0-9]+ [a-z_0-9]+( .*)? -> ' out.txt) == 40 ]] || fail "--listing - printed no 40 lines"
    has out.txt '^0 begin iso=snapshot rts=0 -> ok$'
    expect 2 "$bin" cursor --seed 3 --ops 40 --out o --trace nodir/t.json
    has err.txt '^layerace cursor: cannot write the trace nodir/t\.json: No such file or directory$'
    hasnt out.txt '^seed 3'
    echo "ok: cursor traces: a slice per operation on each side, identical twice, bounded"
}

# A cursor divergence (a test-only defect put back): the shrunk sequence's re-run writes
# OUT/cursor-trace-SEED-min.json with the divergence on the diverging node's track; replaying the
# shrunk repro with --trace writes the same file.
cursor_divergence() {
    local node
    expect 1 "$fbin" cursor --seed 1 --faults prev_order --out c --quiet
    has out.txt '^trace: c/cursor-trace-1-min\.json \([0-9]+ events; 0 dropped'
    node=$(sed -n 's/^  node \([01]\) (\(leader\|follower\)) differs from the oracle$/\1/p' out.txt | tail -n 1)
    [[ -n $node ]] || fail "no diverging node in the report"
    $check c/cursor-trace-1-min.json --need violation --thread "node $node" >check.txt ||
        fail "the shrunk divergence's trace: $(cat check.txt)"
    python3 - "node $node" c/cursor-trace-1-min.json <<'EOF' || fail "the divergence instant"
import json, sys
name, path = sys.argv[1], sys.argv[2]
with open(path, encoding="utf-8") as f:
    events = json.load(f)["traceEvents"]
tid = [e["tid"] for e in events if e["ph"] == "M" and e["args"].get("name") == name][0]
v = [e for e in events if e.get("cat") == "violation"]
if len(v) != 1 or v[0]["tid"] != tid or not v[0]["args"]["text"].startswith(name + " ("):
    sys.exit("the divergence is not one instant on %s's track: %r" % (name, v))
EOF
    expect 1 "$fbin" replay c/cursor-repro-1-min.txt --out r --trace r.json
    has out.txt '^trace: r\.json '
    cmp r.json c/cursor-trace-1-min.json || fail "the replay's trace differs from the shrink's re-run"
    echo "ok: a cursor divergence's shrunk re-run is traced with the divergence on node $node"
}

case $case in
shrink | json | deadlock_sched | deadlock_free | cursor | cursor_divergence) "$case" ;;
*)
    echo "tests/cli/trace.sh: unknown case '$case'" >&2
    exit 2
    ;;
esac
