#!/usr/bin/env bash
# tests/cli/cli.sh CASE LAYERACE LAYERACE_FAULTS WORKDIR -- the command-line tests (ctest label
# "cli"): exit codes, messages, help, the repro file round trip, crash reporting.
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

rm -rf "$work"
mkdir -p "$work"
cd "$work" || exit 2

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# expect RC CMD...: run CMD with stdout in out.txt and stderr in err.txt; check its exit code.
expect() {
    local want=$1 rc
    shift
    "$@" >out.txt 2>err.txt
    rc=$?
    if ((rc != want)); then
        echo "--- stdout" >&2
        cat out.txt >&2
        echo "--- stderr" >&2
        cat err.txt >&2
        fail "'$*' exited $rc, expected $want"
    fi
}

# has FILE REGEX: FILE has a line matching REGEX (extended).
has() {
    grep -Eq -- "$2" "$1" || {
        echo "--- $1" >&2
        cat "$1" >&2
        fail "$1 has no line matching /$2/"
    }
}

hasnt() {
    if grep -Eq -- "$2" "$1"; then
        echo "--- $1" >&2
        cat "$1" >&2
        fail "$1 has a line matching /$2/"
    fi
}

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
stress --threads 0
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
    [[ $first == *" stress --seed 42 --threads 3 --data-threads 1 --duration 1.25 --ops 0 --policy wait --nodes 4 --tables 7 --perturb 33 --check-every 10 --out o1 --keep" ]] ||
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
    echo "ok: replay options override the file; --ops alone drops the time limit"

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
    has out.txt '^  violations   [0-9]+ \(must be 0\)$'
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
quiescent() {
    expect 0 "$bin" stress --seed 11 --threads 4 --duration 3 --check-every 0.5 --quiet --out q1
    has out.txt '^result: clean'
    has out.txt 'quiescent checks while running: ([3-9]|[1-9][0-9])$'
    echo "ok: a clean run made its quiescent checks"

    # must detect: the harness's own test-only defect (a truncate or drop leaves the oracle's rows)
    expect 1 "$fbin" stress --faults oracle_keeps_rows --seed 11 --threads 4 --duration 60 \
        --check-every 1 --quiet --out q2
    has out.txt '^violation 1 of [0-9]+: I[17]: quiescent check 1 at 1\.[0-9] s: '
    has out.txt '^  time         [0-9]\.[0-9]+ s running'
    echo "ok: the first quiescent check finds the planted difference and stops the run"
}

case $case in
bad_option | list | repro | crash | run_short | quiescent) "$case" ;;
help) help_cmds ;;
*)
    echo "tests/cli/cli.sh: unknown case '$case'" >&2
    exit 2
    ;;
esac
