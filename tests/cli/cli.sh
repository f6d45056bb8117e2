#!/usr/bin/env bash
# tests/cli/cli.sh CASE LAYERACE LAYERACE_FAULTS WORKDIR -- the command-line tests (ctest label
# "cli"): exit codes, messages, help, the repro file round trip, strict repro readers, the cursor
# mode's options, `run` on the product binary, crash reporting.
#
# Each CASE is a function below; it prints what it checks and exits nonzero on the first
# failure, printing the command, the expected and the actual outcome. WORKDIR is emptied first.
# Runs that start the engine are short (a few seconds) and use fixed seeds.
set -uo pipefail

if (($# != 4)); then
    echo "usage: tests/cli/cli.sh CASE LAYERACE LAYERACE_FAULTS WORKDIR" >&2
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

# A bad option or value: one line naming it, then the usage, exit 2, nothing on stdout.
bad_option() {
    local args
    while IFS= read -r args; do
        # shellcheck disable=SC2086 # word splitting wanted: each line is a list of arguments
        expect 2 "$bin" $args
        [[ $(head -n 1 err.txt) == layerace* ]] || fail "$args: first stderr line is not a message"
        has err.txt '^usage: layerace'
        [[ -s out.txt ]] && fail "$args: printed on stdout"
        echo "ok: $args -> exit 2: $(head -n 1 err.txt)"
    done <<'EOF'
--bogus
bogus
stress --bogus
stress extra-argument
stress --threads
stress --threads 12x
stress --threads -1
stress --bg 101
stress --threads 257
stress --threads 3.5
stress --data-threads 65
stress --nodes 1
stress --nodes 17
stress --tables 0
stress --tables 65
stress --perturb 101
stress --perturb -5
stress --duration abc
stress --duration -1
stress --duration 1.2345
stress --duration 1e3
stress --duration 0
stress --ops 12x
stress --seed 18446744073709551616
stress --seed 0x10
stress --policy sometimes
stress --quiet=1
stress --faults drop_not_atomic
replay
replay a b
help stress extra
cursor --bogus
cursor extra-argument
cursor --keys 0
cursor --keys 10000
cursor --keys many
cursor --tables 2
cursor --ops 12x
cursor --ops 0
cursor --duration 1e3
cursor --node sideways
cursor --inject gc,bogus
cursor --seed -1
cursor --shrink=1
cursor --faults prev_order
EOF
    # the test-only binary knows the faults, and still checks their names
    expect 2 "$fbin" stress --faults drop_not_atomic,bogus
    has err.txt "^layerace-faults stress: --faults wants"
    expect 0 "$fbin" stress --dry-run --seed 1 --faults drop_not_atomic,txn_strand --out o
    has out.txt "--faults drop_not_atomic,txn_strand"
    echo "ok: --faults is accepted by layerace-faults only"
}

# --help and help COMMAND: exit 0, the usage on stdout, nothing on stderr.
help_cmds() {
    local args
    while IFS= read -r args; do
        # shellcheck disable=SC2086
        expect 0 "$bin" $args
        has out.txt '^usage: '
        [[ -s err.txt ]] && fail "$args: printed on stderr"
        echo "ok: $args"
    done <<'EOF'
--help
-h
help
help help
stress --help
stress -h
help stress
replay --help
help replay
run --help
help run
list --help
help list
cursor --help
help cursor
selftest --help
help selftest
bench --help
help bench
EOF
    expect 0 "$bin" --version
    has out.txt '^layerace [0-9]+\.[0-9]+\.[0-9]+$'
    expect 0 "$fbin" --version
    has out.txt '^layerace-faults [0-9]+\.[0-9]+\.[0-9]+ \(test-only'
    # every knob of the table is in the usage, faults only in the test-only binary's
    expect 0 "$bin" stress --help
    for knob in seed threads data-threads duration ops policy nodes tables perturb out json \
        quiet fork keep dry-run; do
        has out.txt "^  --$knob( |$)"
    done
    hasnt out.txt '--faults'
    expect 0 "$fbin" stress --help
    has out.txt '^  --faults LIST'
    echo "ok: --version, every knob in the usage"
}

# list: the catalogue, one scenario a line; run: an unmatched name or glob is an error.
list() {
    local def name n=0
    def=$(dirname "${BASH_SOURCE[0]}")/../../races/races.def
    expect 0 "$bin" list
    while IFS= read -r name; do
        has out.txt "^$name +[0-9]+ s "
        n=$((n + 1))
    done < <(sed -n 's/^RACE(\([a-z0-9_]*\),.*/\1/p' "$def")
    ((n > 0)) || fail "no RACE line in $def"
    echo "ok: list shows the $n scenarios of races.def"
    expect 2 "$bin" list extra
    has err.txt "unexpected argument 'extra'"
    expect 2 "$bin" run no_such_scenario
    has err.txt 'no_such_scenario'
    expect 2 "$bin" run 'zz_no_match_*'
    has err.txt 'zz_no_match_'
    echo "ok: run with an unmatched name or glob exits 2"
}

# The repro file: written before the run, read back by replay to the same configuration.
repro() {
    local first second
    expect 0 "$bin" stress --dry-run --seed 42 --threads 3 --data-threads 1 --duration 1.25 \
        --policy wait --nodes 4 --tables 7 --perturb 33 --out o1 --keep
    first=$(head -n 1 out.txt)
    [[ $first == *" stress --seed 42 --threads 3 --data-threads 1 --duration 1.25 --ops 0 --policy wait --nodes 4 --tables 7 --perturb 33 --history 20 --redeliver 2 --lag 10 --bg 30 --check-every 10 --out o1 --keep" ]] ||
        fail "first line: $first"
    has out.txt '^repro file: o1/repro-42\.conf$'
    [[ -f o1/repro-42.conf ]] || fail "no o1/repro-42.conf"
    has o1/repro-42.conf '^seed=42$'
    has o1/repro-42.conf '^duration=1\.25$'
    has o1/repro-42.conf '^policy=wait$'
    has o1/repro-42.conf '^keep=1$'
    hasnt o1/repro-42.conf 'dry-run'
    [[ -e o1/db-42 ]] && fail "--dry-run created the database directory"
    echo "ok: stress --dry-run wrote o1/repro-42.conf"

    expect 0 "$bin" replay o1/repro-42.conf --dry-run
    second=$(head -n 1 out.txt)
    [[ $first == "$second" ]] || fail "replay's first line differs:
  stress: $first
  replay: $second"
    echo "ok: replay prints the same configuration"

    # the command line overrides the file; --ops alone means no time limit
    expect 0 "$bin" replay o1/repro-42.conf --dry-run --out o2 --threads 5 --ops 100
    has out.txt ' --threads 5 .*--duration 0 --ops 100 '
    has o2/repro-42.conf '^threads=5$'
    has o2/repro-42.conf '^duration=0$'
    expect 0 "$bin" replay o2/repro-42.conf --dry-run --out o3
    has out.txt ' --duration 0 --ops 100 '
    # --no-NAME clears a flag the file set
    expect 0 "$bin" replay o1/repro-42.conf --dry-run --out o2b --no-keep
    hasnt out.txt ' --keep'
    hasnt o2b/repro-42.conf '^keep='
    echo "ok: replay options override the file; --ops alone drops the time limit; --no-keep"

    # the printed first line is a command that runs as it stands
    expect 0 "$bin" stress --dry-run --out 'o 4' --seed 9 --json 'r 1.json'
    first=$(head -n 1 out.txt)
    eval "expect 0 $first --dry-run"
    [[ $(head -n 1 out.txt) == "$first" ]] || fail "pasting the first line changed it"
    echo "ok: the first line pastes back (quoted paths)"

    # a drawn seed is printed and saved
    expect 0 "$bin" stress --dry-run --out o5
    has out.txt '^.* stress --seed [0-9]+ '
    compgen -G "o5/repro-*.conf" >/dev/null || fail "no repro file for a drawn seed"

    # broken repro files: exit 2 with FILE:LINE
    printf 'seed=1\nthreads=many\n' >bad1.conf
    expect 2 "$bin" replay bad1.conf
    has err.txt 'bad1\.conf:2: threads wants'
    printf 'seed=1\nnoise\n' >bad2.conf
    expect 2 "$bin" replay bad2.conf
    has err.txt 'bad2\.conf:2: expected knob=value'
    printf 'seed=1\nwarp=9\n' >bad3.conf
    expect 2 "$bin" replay bad3.conf
    has err.txt "bad3\\.conf:2: unknown knob 'warp'"
    printf 'threads=2\n' >bad4.conf
    expect 2 "$bin" replay bad4.conf
    has err.txt 'names no seed'
    printf 'seed=1\nfaults=drop_not_atomic\n' >bad5.conf
    expect 2 "$bin" replay bad5.conf
    has err.txt 'use layerace-faults'
    expect 2 "$bin" replay no-such-file.conf
    has err.txt 'cannot open repro file'
    echo "ok: broken repro files exit 2 naming the line"

    # an existing database directory is refused
    mkdir -p o6/db-5
    expect 2 "$bin" stress --seed 5 --out o6 --duration 1
    has err.txt 'o6/db-5 exists'
    echo "ok: an existing OUT/db-SEED is refused"
}

# Every repro reader is strict: a malformed line, an unknown knob, a knob given twice, each an
# exit 2 with a message naming FILE:LINE (stress repro files, then cursor repro files).
repro_strict() {
    local f
    printf 'seed=1\nthreads=2\n\n# a comment\nthreads=3\n' >twice.conf
    expect 2 "$bin" replay twice.conf --dry-run
    has err.txt "twice\\.conf:5: knob 'threads' given twice \\(first on line 2\\)"
    printf 'seed=1\nperturb=5\nperturb\n' >malformed.conf
    expect 2 "$bin" replay malformed.conf --dry-run
    has err.txt "malformed\\.conf:3: expected knob=value, not 'perturb'"
    printf 'seed=1\nthreads=2\nwarp=9\n' >unknown.conf
    expect 2 "$bin" replay unknown.conf --dry-run
    has err.txt "unknown\\.conf:3: unknown knob 'warp'"
    printf 'seed=1\ndry-run=1\n' >cli-only.conf
    expect 2 "$bin" replay cli-only.conf
    has err.txt "cli-only\\.conf:2: unknown knob 'dry-run'"
    echo "ok: stress repro files: a knob twice, a malformed line, an unknown knob -> exit 2 FILE:LINE"

    # cursor repro files: the first line says so; knob lines, then one operation per op line
    cursor_file() { # NAME LINE...: a cursor repro file
        local name=$1
        shift
        {
            echo '# layerace cursor repro'
            printf '%s\n' "$@"
        } >"$name"
    }
    cursor_file c-twice.txt seed=7 keys=12 node=both keys=13 'op next c1'
    expect 2 "$bin" replay c-twice.txt --dry-run
    has err.txt "c-twice\\.txt:5: knob 'keys' given twice \\(first on line 3\\)"
    cursor_file c-value.txt seed=7 keys=many 'op next c1'
    expect 2 "$bin" replay c-value.txt --dry-run
    has err.txt "c-value\\.txt:3: keys wants a whole number"
    cursor_file c-seed.txt seed=7x 'op next c1'
    expect 2 "$bin" replay c-seed.txt --dry-run
    has err.txt "c-seed\\.txt:2: seed wants a whole number"
    cursor_file c-unknown.txt seed=7 warp=1 'op next c1'
    expect 2 "$bin" replay c-unknown.txt --dry-run
    has err.txt "c-unknown\\.txt:3: unknown knob 'warp'"
    cursor_file c-garbage.txt seed=7 'op next c1' garbage
    expect 2 "$bin" replay c-garbage.txt --dry-run
    has err.txt "c-garbage\\.txt:4: expected knob=value, not 'garbage'"
    # operations: a field the operation does not take, one it lacks, one given twice, no such op
    cursor_refused c-op1.txt "c-op1\\.txt:3: next takes no 'k0005'" seed=7 'op next c1 k0005'
    cursor_refused c-op2.txt "c-op2\\.txt:3: update lacks its key" seed=7 'op update c1'
    cursor_refused c-op3.txt "c-op3\\.txt:3: insert: 'val=2' repeats a field" seed=7 'op insert c0 k0001 val=1 val=2'
    cursor_refused c-op4.txt "c-op4\\.txt:3: unknown operation 'jump'" seed=7 'op jump c0'
    # a swap's step-up node: node=0 or 1, optional (older files: node 0), taken by swap only
    cursor_refused c-op5.txt "c-op5\\.txt:3: swap: cannot read 'node=2'" seed=7 'op swap node=2'
    cursor_refused c-op6.txt "c-op6\\.txt:3: next takes no 'node=1'" seed=7 'op next c0 node=1'
    cursor_file c-op7.txt seed=7 'op swap node=1' 'op swap'
    expect 0 "$bin" replay c-op7.txt --dry-run
    cursor_file c-noops.txt seed=7 keys=3
    expect 2 "$bin" replay c-noops.txt --dry-run
    has err.txt "c-noops\\.txt has no operations"
    # the test-only faults: the product binary says which binary replays the file
    cursor_file c-faults.txt seed=7 faults=prev_order 'op next c1'
    expect 2 "$bin" replay c-faults.txt --dry-run
    has err.txt "c-faults\\.txt:3: faults is test-only.*use layerace-faults"
    expect 0 "$fbin" replay c-faults.txt --dry-run
    echo "ok: cursor repro files: bad knob lines and bad op lines -> exit 2 FILE:LINE"

    # a file as cursor runs wrote it before the knob table (faults as a mask, no ops= line)
    cursor_file c-old.txt '# the sequence up to the divergence' '# replay: layerace replay x' \
        seed=7 keys=12 node=both inject=gc,tombstones,truncate,bulk,checkpoint,swap,prepare \
        faults=0x0 'op begin iso=snapshot rts=0' 'op update c1 k0003 val=17' 'op commit' \
        'op next c1' 'op bulk k0002 rows=5' 'op remove c2 pos'
    expect 0 "$bin" replay c-old.txt --dry-run
    has out.txt '^layerace replay: c-old\.txt: 6 operations'
    has out.txt \
        ' cursor --seed 7 --ops 100000 --duration 0 --tables 1 --keys 12 --node both --inject all$'
    echo "ok: an older cursor repro file still reads"
}

# cursor_refused FILE MESSAGE LINE...: a cursor repro file of those lines that replay refuses
# (exit 2) with MESSAGE (a regex) on stderr.
cursor_refused() {
    local file=$1 msg=$2
    shift 2
    cursor_file "$file" "$@"
    expect 2 "$bin" replay "$file" --dry-run
    has err.txt "$msg"
}

# The cursor mode's knobs: the configuration printed first, pasted back, written with the
# sequence into the repro file and read back by replay.
cursor_cli() {
    local first f
    expect 0 "$bin" cursor --dry-run --seed 5 --keys 12 --node leader --inject swap,gc --out o
    first=$(head -n 1 out.txt)
    [[ $first == *" cursor --seed 5 --ops 100000 --duration 0 --tables 1 --keys 12 --node leader \
--inject gc,swap --out o" ]] || fail "first line: $first"
    eval "expect 0 $first --dry-run"
    [[ $(head -n 1 out.txt) == "$first" ]] || fail "pasting the first line changed it"
    expect 0 "$bin" cursor --dry-run --seed 5 --duration 2.5 --quiet --no-shrink
    has out.txt ' --ops 0 --duration 2\.5 .* --quiet$'
    expect 0 "$bin" cursor --dry-run
    has out.txt '^.* cursor --seed [0-9]+ '
    echo "ok: cursor prints its configuration first; --duration alone lifts the operation limit"

    # every knob is in the usage, --faults only in the test-only binary's
    expect 0 "$bin" cursor --help
    for knob in seed ops duration tables keys node inject shrink out json trace trace-events listing quiet dry-run; do
        has out.txt "^  --$knob( |,|$)"
    done
    hasnt out.txt '--faults'
    expect 0 "$fbin" cursor --help
    has out.txt '^  --faults LIST'
    echo "ok: every cursor knob in the usage"

    # a divergence (a test-only defect put back) writes a repro file that replays
    expect 1 "$fbin" cursor --seed 1 --faults prev_order --no-shrink --out c --quiet --json c.json
    f=c/cursor-repro-1.txt
    [[ -f $f ]] || fail "no $f"
    has "$f" '^# layerace cursor repro$'
    has "$f" '^seed=1$'
    has "$f" '^faults=prev_order$'
    has "$f" '^op '
    hasnt "$f" 'shrink'
    has c.json '"diverged": true'
    has c.json '"config": \{'
    has c.json '"faults": "prev_order"'
    expect 0 "$fbin" replay "$f" --dry-run --out c2
    has out.txt " cursor --seed 1 --ops 100000 --duration 0 --tables 1 --keys 24 --node both \
--inject all --faults prev_order --out c2 --json c.json --quiet$"
    expect 1 "$fbin" replay "$f" --out c2 --quiet
    has out.txt '^DIVERGENCE at operation [0-9]+: prev '
    [[ -f c2/cursor-repro-1.txt ]] || fail "replay wrote no repro of its divergence"
    cmp <(grep '^op ' "$f") <(grep '^op ' c2/cursor-repro-1.txt) ||
        fail "the replayed divergence has another sequence"
    echo "ok: a cursor divergence's repro file replays to the same divergence"
}

# `run PATTERN` on the product binary runs what it can: with layerace-faults beside it, every
# run (the test-only faults through layerace-faults); alone, every run but those, listed as not
# run; exit 0 either way when every run that ran was as expected.
run_product() {
    local def n
    def=$(dirname "${BASH_SOURCE[0]}")/../../races/races.def
    n=$(grep -c '^RACE(' "$def")
    [[ $(dirname "$bin") == "$(dirname "$fbin")" ]] || fail "$bin and $fbin are not side by side"
    expect 0 "$bin" run --quiet '*'
    has out.txt \
        "^# must-detect runs that need a test-only fault: through $(dirname "$fbin")/layerace-faults$"
    # flag_plain_read's must-detect runs in a ThreadSanitizer build only.
    if grep -q 'needs a ThreadSanitizer build' out.txt; then
        has out.txt "^# $((2 * n - 1)) runs: $((2 * n - 1)) as expected, 0 not; 1 needs a ThreadSanitizer build \(not run\)$"
    else
        has out.txt "^# $((2 * n)) runs: $((2 * n)) as expected, 0 not$"
    fi
    has out.txt '^drop_not_atomic +must-detect seed 1 +detected .*PASS$'
    hasnt out.txt 'needs layerace-faults'
    echo "ok: beside layerace-faults: all $((2 * n)) runs, the test-only faults through it"

    # Alone, the drop classes suffice: one with a test-only fault, two whose hazard is policy off.
    mkdir alone
    cp "$bin" alone/layerace
    expect 0 alone/layerace run --quiet 'drop_*'
    has out.txt '^drop_not_atomic +must-detect seed 1 +needs layerace-faults \(not run\)'
    has out.txt '^drop_not_atomic +must-pass +seed 1 +clean .*PASS$'
    has out.txt '^drop_during_drain +must-detect seed 1 +(detected|crashed) .*PASS$'
    has out.txt '; [1-9][0-9]* needs? layerace-faults \(not run\)(; 1 needs a ThreadSanitizer build \(not run\))?$'
    hasnt out.txt 'FAIL'
    echo "ok: alone: the runs it can, the others listed as not run, exit 0"

    # only runs that cannot run: nothing failed, nothing ran
    expect 0 alone/layerace run --quiet --expect detect drop_not_atomic
    has out.txt '^# 0 runs: 0 as expected, 0 not; 1 needs layerace-faults \(not run\)$'
    echo "ok: alone, a must-detect run with a test-only fault alone: exit 0, not run"
}

# A crash of the run: with --fork the parent reports it (exit 1); without, the process writes
# its crash note and dies of the signal.
crash() {
    LAYERACE_TEST_CRASH=abort expect 1 "$bin" stress --fork --seed 77 --duration 5 --threads 2 \
        --out o --json crash.json
    has err.txt 'died on signal SIGABRT'
    has err.txt 'replay: .*replay o/repro-77\.conf'
    has out.txt '^result: crash'
    has out.txt '^violation 1 of 1: crash: '
    has o/crash-77.txt '^signal: SIGABRT'
    has o/crash-77.txt '^reported by the parent'
    has crash.json '"status": "crash"'
    has crash.json '"exit": 1'
    has crash.json '"invariant": "crash"'
    echo "ok: --fork reports the child's SIGABRT, exit 1"

    LAYERACE_TEST_CRASH=exit66 expect 1 "$bin" stress --fork --seed 78 --duration 5 \
        --threads 2 --out o
    has err.txt 'exit status 66'
    echo "ok: --fork reports a strange exit status (a sanitizer's) as a crash"

    # without --fork: the handler writes the note and re-raises (the shell sees 128 + 11)
    LAYERACE_TEST_CRASH=segv expect 139 "$bin" stress --seed 79 --duration 5 --threads 2 \
        --out o
    has err.txt 'fatal signal SIGSEGV'
    has err.txt 'crash note: o/crash-79\.txt'
    has o/crash-79.txt '^signal: SIGSEGV'
    has o/crash-79.txt '^replay: .*replay o/repro-79\.conf'
    echo "ok: in-process SIGSEGV leaves a crash note and dies of the signal"
}

# A short real run: the output's shape, the JSON report, the database removed when clean.
run_short() {
    local rc
    "$bin" stress --seed 3 --threads 2 --duration 2 --out o --json r.json >out.txt 2>err.txt
    rc=$?
    ((rc == 0 || rc == 1)) || {
        cat out.txt err.txt >&2
        fail "stress exited $rc"
    }
    [[ $(head -n 1 out.txt) == *" stress --seed 3 --threads 2 "* ]] || fail "first line"
    if ((rc == 0)); then
        has out.txt '^  violations   0 \(must be 0\)$'
    else
        has out.txt '^  violations   [1-9][0-9]* \(must be 0\): [A-Za-z0-9]+ [0-9]+'
    fi
    has out.txt '^  transitions  [0-9]+'
    has out.txt '^  hook         admitted'
    has out.txt '^replay: '
    hasnt out.txt $'\r' # not a terminal: no progress line
    has r.json '"config": \{'
    has r.json '"seed": 3,'
    has r.json '"counters": \{'
    has r.json '"ops_per_sec": '
    if ((rc == 0)); then
        [[ -e o/db-3 ]] && fail "a clean run left o/db-3"
        has r.json '"status": "clean"'
    else
        [[ -d o/db-3 ]] || fail "a run with violations removed o/db-3"
        has r.json '"status": "violation"'
    fi
    echo "ok: stress ran (exit $rc) and reported"

    # SIGINT stops the run gracefully: it still reports
    "$bin" stress --seed 4 --threads 2 --duration 60 --out o >out.txt 2>err.txt &
    local pid=$!
    sleep 2
    kill -INT $pid
    wait $pid
    rc=$?
    ((rc == 0 || rc == 1)) || fail "stress after SIGINT exited $rc"
    has out.txt 'stopped by SIGINT'
    has out.txt '^  violations   '
    echo "ok: SIGINT stops the run, which reports (exit $rc)"
}

# Quiescent checks: they run while the run goes on, and they find a difference long before the end.
# The lagging operation log (--lag): on two nodes and one table, mostly data, copies are held
# back and applied late (or skipped once a checkpoint holds them), and every quiescent check and
# the final one still find each node equal to the oracle; with restarts nothing is held.
lag() {
    expect 0 "$bin" stress --seed 4 --threads 1 --data-threads 6 --nodes 2 --tables 1 --lag 50 \
        --duration 5 --check-every 1 --quiet --out l1 --json l1.json
    has out.txt '^result: clean'
    has out.txt 'quiescent checks while running: [1-9]'
    has out.txt ', lagged [1-9][0-9]* \([1-9][0-9]* late, [0-9]+ in a checkpoint by then\)'
    has l1.json '"lag_late": [1-9]'
    expect 0 "$bin" stress --seed 4 --threads 1 --data-threads 2 --nodes 2 --tables 1 --lag 50 \
        --restart-every 1 --duration 2 --quiet --out l2
    has out.txt ', lagged 0 \(0 late, 0 in a checkpoint by then\)'
    echo "ok: held-back copies applied late, every node equal to the oracle; none with restarts"
}

quiescent() {
    expect 0 "$bin" stress --seed 11 --threads 4 --duration 3 --check-every 0.5 --quiet --out q1
    has out.txt '^result: clean'
    has out.txt 'quiescent checks while running: ([3-9]|[1-9][0-9])$'
    echo "ok: a clean run made its quiescent checks"

    # must detect: the harness's own test-only defect (a truncate or drop leaves the oracle's rows).
    # The data workers' reads, judged against the oracle, find it first and stop the run ...
    expect 1 "$fbin" stress --faults oracle_keeps_rows --seed 11 --threads 4 --duration 60 \
        --check-every 1 --quiet --out q2
    has out.txt '^violation 1 of [0-9]+: I1: '
    has out.txt '^  time         [0-9]\.[0-9]+ s running'
    echo "ok: the planted difference is found within seconds and stops the run"
    # ... and going on past them (--stop-on keeps the one it stops at), a quiescent check finds it.
    expect 1 "$fbin" stress --faults oracle_keeps_rows --seed 11 --threads 4 --duration 30 \
        --check-every 1 --stop-on 'quiescent check' --quiet --out q3 --json q3.json
    has q3.json '"what": "quiescent check 1 at [0-9.]+ s: '
    # With its context, though the check also takes the history out (a window).
    has q3.json '"what": "quiescent check 1 at [0-9.]+ s: .*\[last (schema effect on the table|role flip of node)'
    echo "ok: the first quiescent check finds the planted difference, with its context"
}

# The lock-based policies end clean; I9 must-detect: a hook at the schema lock's acquisition
# (upstream's first placement, the test-only fault hook_at_lock) refuses information calls.
policies() {
    local p
    for p in upstream boundary; do
        expect 0 "$bin" stress --seed 5 --threads 4 --duration 3 --policy "$p" --quiet --out "$p"
        has out.txt '^result: clean'
        echo "ok: stress --policy $p ends clean"
    done
    expect 1 "$fbin" stress --faults hook_at_lock --seed 5 --threads 4 --duration 10 --quiet \
        --out i9
    has out.txt '^violation [0-9]+ of [0-9]+: I9: '
    echo "ok: a hook at lock acquisition is reported (I9)"
    expect 0 "$bin" list
    has out.txt '^up_drop_ckpt .*WT-17880'
    has out.txt '^create_vs_stepdown .*fault stepdown_leak'
    echo "ok: list shows the policy scenarios with their invariant and upstream ticket"
}

case $case in
bad_option | list | repro | repro_strict | cursor_cli | run_product | crash | run_short | quiescent | policies | lag)
    "$case"
    ;;
help) help_cmds ;;
*)
    echo "tests/cli/cli.sh: unknown case '$case'" >&2
    exit 2
    ;;
esac
