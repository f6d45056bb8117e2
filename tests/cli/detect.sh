#!/usr/bin/env bash
# tests/cli/detect.sh CASE LAYERACE LAYERACE_FAULTS WORKDIR -- the stress job itself (not the
# catalogue's scenarios) finds the races between data operations and role changes once their
# defect is put back with a test-only fault, within a fixed budget (ctest label "detect"); and
# --policy rotate gives each node a policy from the seed, the same in a replay.
#
# Free runs: the seed fixes the operations, not the timing. Each budget is well above the
# detection times measured over six seeds (README, "How a stress run works").
set -uo pipefail

if (($# != 4)); then
    echo "usage: tests/cli/detect.sh CASE LAYERACE LAYERACE_FAULTS WORKDIR" >&2
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

# detect FAULT INVARIANTS SEED SECONDS: the run exits 1 with a violation of one of INVARIANTS
# (an extended regex); the run stops at it, so SECONDS is only the budget. Following the failure
# to a controlled repro is left to the follow tests (--no-record-order).
detect() {
    expect 1 "$fbin" stress --faults "$1" --seed "$3" --threads 2 --data-threads 6 \
        --duration "$4" --stop-on "^($2): " --no-record-order --quiet --out o
    has out.txt "^violation [0-9]+ of [0-9]+: ($2): "
    echo "ok: $1 found as $(sed -n 's/^violation [0-9]* of [0-9]*: \(I[0-9]*\): .*/\1/p' out.txt |
        sort -u | tr '\n' ' ')within $4 s: $(sed -n 's/^  time  *//p' out.txt)"
}

# Class 3: a follower write re-reads the role outside the gate and is routed by the new one.
write_role_reread() { detect write_role_reread I4 5 60; }

# Class 6: a leader transaction that wrote stable commits after its node stepped down.
commit_no_gate() { detect commit_no_gate I4 1 15; }

# Class 5: a follower transaction commits across its node's step-up, its row stranded in ingest
# (I1). The fault opens the same commit window for a leader's transactions, which shows as I4;
# either is the defect (the product build is clean on the same runs).
txn_strand() { detect txn_strand 'I1|I4' 1 30; }

# Class 10: a positioned cursor keeps its follower view across its node's step-up; a scan's next
# step, judged in the leader's view, passes over rows the drain moved (I1; I2 if out of order).
# Found in 0.4-10 s over seeds 1-4; the product build is clean on the same runs.
role_keep_view() { detect role_keep_view 'I1|I2' 1 60; }

# A restart that keeps reading the checkpoint the node had picked up while it reports (and the
# application replays above) the newest one: the check after the replay finds the rows between
# the two lost (I1).
restart_stale_view() {
    expect 1 "$fbin" stress --faults restart_stale_view --seed 1 --threads 2 --data-threads 4 \
        --restart-every 0.2 --duration 30 --stop-on '^I1: after its restart' --quiet --out o
    has out.txt '^violation [0-9]+ of [0-9]+: I1: after its restart at checkpoint ts [0-9]+ and the replay of its log, node [0-9]+ (lost|serves a wrong) '
    echo "ok: restart_stale_view found as lost rows: $(sed -n 's/^  time  *//p' out.txt)"
}

# --restart-every: clean on the product build, restarts counted in the summary and the JSON
# report, kept in the repro file and replayed from it; not with a controlled scheduler.
restart() {
    expect 0 "$bin" stress --seed 5 --threads 4 --duration 4 --restart-every 0.3 --json r.json \
        --out r
    has out.txt '^  restarts     [1-9][0-9]* \(log records replayed [0-9]+\)$'
    has r.json '"restarts": [1-9]'
    has r/repro-5.conf '^restart-every=0.3$'
    expect 0 "$bin" replay r/repro-5.conf
    has out.txt '^  restarts     [1-9]'
    expect 0 "$bin" stress --seed 5 --threads 2 --duration 1 --out r2
    hasnt out.txt '^  restarts '
    hasnt r2/repro-5.conf '^restart-every='
    expect 2 "$bin" stress --restart-every 1 --sched random --ops 10 --out r3
    has err.txt 'restart-every needs --sched free'
    echo "ok: restarts counted, in the repro file and its replay"
}

# A checkpoint publication acknowledged before its record is durable (ack_before_durable): a kill
# brings the cluster back at an older checkpoint than the one the application trimmed its log at,
# and the check after the recovery finds the rows between the two lost, or a recovery that cannot
# use what the checkpoint record names (both I1: acknowledged data lost). The run goes on past
# the fault's other knock-on violations (--stop-on) until one of those. Free runs: a kill must
# land while the newest publication is one never made durable; six seeds, the first that finds
# (seeds 4-6 found it in 1-2 s each in one measurement, seed 1 not in 40 s: they go first).
crash() {
    local seed rc lost
    lost='I1: (after a kill and recovery at checkpoint ts [0-9]+ and the replay of its log, node [0-9]+ (lost|serves a wrong) |the cluster in .* cannot be recovered after a kill)'
    for seed in 4 5 6 1 2 3; do
        "$fbin" stress --faults ack_before_durable --seed "$seed" --threads 2 --data-threads 4 \
            --crash-every 0.5 --duration 15 --stop-on "^$lost" --quiet --json d.json \
            --out "o$seed" >out.txt 2>err.txt
        rc=$?
        ((rc == 0 || rc == 1)) || { cat out.txt err.txt >&2; fail "seed $seed exited $rc"; }
        if ((rc == 1)) && grep -Eq "$lost" out.txt d.json; then
            has out.txt '^  kills        [1-9][0-9]* survived, 0 of them after an injected panic \(rows checked [0-9]+;'
            echo "ok: ack_before_durable found as acknowledged data lost (seed $seed): $(sed -n 's/^  kills  *//p' out.txt)"
            return 0
        fi
    done
    echo "FAIL: ack_before_durable not found as acknowledged data lost in six runs" >&2
    exit 1
}

# --crash-every on the product build: clean, at least two kills survived (so a life loaded a log
# a recovery had compacted), the kills and rows checked in the summary and the JSON report, kept
# in the repro file; the kept durable log is a compaction's (the oracle's rows) plus what followed;
# not with a controlled scheduler.
crash_clean() {
    local kills
    expect 0 "$bin" stress --seed 5 --threads 4 --duration 5 --crash-every 0.5 --json c.json \
        --out c --keep
    has out.txt '^  kills        ([2-9]|[1-9][0-9]+) survived, 0 of them after an injected panic \(rows checked [0-9]+;'
    python3 - c/durlog-5.bin <<'EOF2' || fail "the durable log was not compacted"
import struct, sys
data = open(sys.argv[1], "rb").read()
kinds = {}
for off in range(0, len(data) - 79, 80):
    magic, kind = struct.unpack_from("<IH", data, off)
    if magic != 0x4c52444c:
        break
    kinds[kind] = kinds.get(kind, 0) + 1
# A compaction writes each table's existence, flagged 0x100 (with the operation log's records).
sys.exit(0 if any(k & 0x100 for k in kinds) else 1)
EOF2
    has out.txt '^  violations   0 '
    has c.json '"kills": [1-9]'
    has c.json '"rows_checked": [0-9]'
    has c/repro-5.conf '^crash-every=0.5$'
    kills=$(sed -n 's/^  kills  *//p' out.txt)
    expect 0 "$bin" stress --seed 5 --threads 2 --duration 1 --out c2
    hasnt out.txt '^  kills '
    expect 2 "$bin" stress --crash-every 1 --sched random --ops 10 --out c3
    has err.txt 'crash-every kills a free run: it needs --sched free'
    echo "ok: clean with kills $kills"
}

# --policy rotate (the default): each node's policy from the seed, in the summary and the repro
# file, the same in a replay; an explicit policy pins every node.
rotate() {
    local want
    expect 0 "$bin" stress --seed 3 --threads 2 --duration 1 --out r
    has out.txt '^  policies     node 0 [a-z]+, node 1 [a-z]+, node 2 [a-z]+ \(rotate\)$'
    want=$(sed -n 's/^  policies     \(.*\) (rotate)$/\1/p' out.txt)
    has r/repro-3.conf "^# policies: $want\$"
    has r/repro-3.conf '^policy=rotate$'
    expect 0 "$bin" replay r/repro-3.conf
    has out.txt "^  policies     $want \\(rotate\\)\$"
    expect 0 "$bin" stress --seed 4 --threads 2 --duration 1 --out r2
    hasnt out.txt "^  policies     $want "
    expect 0 "$bin" stress --seed 3 --threads 2 --duration 1 --policy wait --out r3
    has out.txt '^  policies     node 0 wait, node 1 wait, node 2 wait$'
    echo "ok: rotate gives each node its policy from the seed, the same in a replay"
}

# A long run's history is checked and dropped in windows at quiescent checks (a tiny window here):
# the hook's counters still match its events across windows (a clean run), and a defect only the
# event checks see (the boundary verdict, stepdown_leak) is still found inside a window.
window() {
    LAYERACE_HISTORY_WINDOW=2000 expect 0 "$bin" stress --seed 3 --threads 3 --duration 4 \
        --check-every 1 --json w.json --quiet --out w
    has out.txt '^  events       [0-9]+ recorded; [1-9][0-9]* windows checked and dropped'
    has w.json '"history_windows": [1-9]'
    LAYERACE_HISTORY_WINDOW=2000 expect 1 "$fbin" stress --seed 3 --threads 3 --duration 3 \
        --check-every 1 --policy boundary --faults stepdown_leak --keep-going --json w2.json --quiet \
        --out w2
    has out.txt '^  events       [0-9]+ recorded; [1-9][0-9]* windows checked and dropped'
    # The defect's knock-on failures (tables without a stable constituent) may come first: the
    # tally counts every violation found, by invariant.
    has out.txt '^  violations   [0-9]+ \(must be 0\): .*\b(I5|boundary) [1-9]'
    has w2.json '"violations_by_invariant": \{.*"(I5|boundary)": [1-9]'
    echo "ok: windows of history checked and dropped; the boundary defect found in one"
}

# Class 16 without its script, in a ThreadSanitizer build: the maintenance threads' background
# rounds (--bg) read the role flag with a plain load while the controller's flips write it. TSan's
# report ends the forked run (exit 66), reported as a crash with its repro file.
plain_read_tsan() {
    expect 1 "$fbin" stress --seed 1 --threads 2 --duration 10 --bg 50 --faults flag_plain_read \
        --fork --quiet --out p --no-record-order
    has out.txt '^violation 1 of 1: crash: .*exit status 66.*ThreadSanitizer'
    has err.txt 'SUMMARY: ThreadSanitizer: data race .*bg\.c'
    compgen -G "p/repro-*.conf" >/dev/null || fail "no repro file"
    echo "ok: flag_plain_read found by free stress: $(grep -m1 'SUMMARY: ThreadSanitizer' err.txt)"
}

# Class 13 without its script, in an AddressSanitizer build: explore from the generic workload
# (two schema workers, one table), GC reading an entry a drop freed: ASan's report ends the
# search (with abort_on_error, as the sanitizer jobs run it, explore also writes a crash note);
# the run's repro file is written before it runs.
gc_free_asan() {
    local rc=0
    "$fbin" explore --seed 1 --runs 100 --threads 2 --data-threads 2 --tables 1 --faults gc_no_ref \
        --out g --no-shrink >out.txt 2>err.txt || rc=$?
    ((rc != 0)) || fail "explore ended clean"
    has err.txt 'ERROR: AddressSanitizer: heap-use-after-free'
    has err.txt 'in lt_gc .*layered/gc\.c'
    has err.txt 'in lt_drop_ex .*layered/schema\.c'
    compgen -G "g/repro-*.conf" >/dev/null || fail "no repro file"
    echo "ok: gc_no_ref found by explore: GC read an entry a drop freed"
}

case $case in
write_role_reread | commit_no_gate | txn_strand | role_keep_view | rotate | window | \
    restart_stale_view | restart | crash | crash_clean | plain_read_tsan | gc_free_asan)
    "$case"
    ;;
*)
    echo "tests/cli/detect.sh: unknown case '$case'" >&2
    exit 2
    ;;
esac
