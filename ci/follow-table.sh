#!/usr/bin/env bash
# ci/follow-table.sh [--findings N] [--max-seeds N] [--only CLASS,...] [--bin LAYERACE_FAULTS]
# -- how often a failing
# free-running stress run becomes an exact controlled repro (--record-order, on by default:
# the run is followed under --sched follow, cli/follow.c).
#
# A row per hazard: free runs (`layerace-faults stress`, its default threads unless the row says
# otherwise, --stop-on the class's violation) over seeds 1, 2, ... until N findings (runs that
# exit 1 with that violation) or the seed limit; for each finding, whether the followed run
# reproduced the same violation (by next points, or by a fallback order: current or middle
# points), whether it diverged, and the reason when it did not. Then the
# reproduced ones are replayed with `layerace replay` once each: "replayed" counts those that fail
# the same way with the followed run's trace hash (the others are listed with the reasons).
# Builds the default preset if needed. Exit 0 with the table; 2 on a usage error.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

findings=10 maxseeds=40 only='' bin=''
while (($#)); do
    case $1 in
    --findings) findings=$2; shift 2 ;;
    --max-seeds) maxseeds=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --bin) bin=$(realpath "$2"); shift 2 ;;
    -h | --help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "ci/follow-table.sh: unknown option '$1'" >&2; exit 2 ;;
    esac
done
if [[ -z $bin ]]; then
    [[ -x build/default/layerace-faults ]] || bash ci/build.sh default >/dev/null
    bin=$PWD/build/default/layerace-faults
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/layerace-follow.XXXXXX")
trap 'rm -rf "$work"' EXIT

# class | hazard and budget knobs | violation (--stop-on, extended regex)
rows=(
    "drop_during_drain|--policy off --duration 20|^I5: drop .* during the node's step-up"
    "create_during_stepup|--policy off --duration 20|^I5: create .* during the node's step-up"
    "commit_no_gate|--faults commit_no_gate --threads 2 --data-threads 6 --duration 10|^I4: "
    "txn_strand|--faults txn_strand --threads 2 --data-threads 6 --duration 20|^(I1|I4): "
    "write_role_reread|--faults write_role_reread --threads 2 --data-threads 6 --duration 30|^I4: "
)

# has_violation JSON REGEX: the JSON report lists a violation whose "INV: what" matches REGEX (the
# summary prints only the first ten).
has_violation() {
    python3 -c 'import json, re, sys
r = json.load(open(sys.argv[1]))
sys.exit(0 if any(re.search(sys.argv[2], v["invariant"] + ": " + v["what"]) for v in r["violations"]) else 1)' "$1" "$2"
}

printf '%-22s %8s %10s %9s %9s %9s  %s\n' class findings reproduced fallback replayed divergent \
    "not reproduced (seed: reason)"
for row in "${rows[@]}"; do
    IFS='|' read -r class knobs match <<<"$row"
    [[ -n $only && ",$only," != *",$class,"* ]] && continue
    n=0 ok=0 second=0 replayed=0 divergent=0 why=()
    for ((seed = 1; seed <= maxseeds && n < findings; seed++)); do
        d=$work/$class-$seed
        mkdir -p "$d"
        # shellcheck disable=SC2086 # the knobs are words
        (cd "$d" && "$bin" stress --seed "$seed" $knobs --stop-on "$match" --quiet --out o \
            >out.txt 2>err.txt) || true
        grep -Eq "^violation [0-9]+ of [0-9]+: ${match#^}" "$d/out.txt" || { rm -rf "$d"; continue; }
        grep -q '^follow: ' "$d/out.txt" || continue
        n=$((n + 1))
        grep -Eq '^follow: .* [1-9][0-9]* divergences' "$d/out.txt" && divergent=$((divergent + 1))
        if grep -q '^follow: reproduced' "$d/out.txt"; then
            ok=$((ok + 1))
            grep -Eq '^follow: by (current|middle) points' "$d/out.txt" && second=$((second + 1))
            rc=0
            (cd "$d" && "$bin" replay "o/follow-$seed/repro-$seed.conf" --no-shrink \
                --json replay.json >replay.txt 2>&1) || rc=$?
            h0=$(sed -n 's/^follow: .*, trace \([0-9a-f]\{16\}\) (.*$/\1/p' "$d/out.txt" | tail -n 1)
            h1=$(sed -n 's/^  scheduler .*trace \([0-9a-f]\{16\}\)$/\1/p' "$d/replay.txt")
            if [[ $rc == 1 && $h0 == "$h1" ]] && has_violation "$d/replay.json" "$match"; then
                replayed=$((replayed + 1))
            else
                why+=("$seed: reproduced, but its replay exited $rc, trace $h1 (followed: $h0)")
            fi
        else
            why+=("$seed: $(sed -n 's/^follow: not reproduced by next points: //p' "$d/out.txt" | cut -c1-160)")
        fi
        rm -rf "$d/o"
    done
    printf '%-22s %8d %10d %9d %9d %9d  %s\n' "$class" "$n" "$ok" "$second" "$replayed" "$divergent" \
        "$( ((${#why[@]})) && printf '%s; ' "${why[@]}")"
done
