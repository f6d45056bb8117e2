#!/usr/bin/env bash
# ci/detect-table.sh [--seeds N] [--runs N] [--budget SEC] [--only CLASS,...] -- runs and seconds
# to detect each race class that explore can reach, under every strategy (random, PCT d=2 and
# d=3, POS, URW), next to the free-running stress job's seconds to detect the same hazard.
#
# A row per class: the hazard (policy off, or the test-only fault that puts the defect back), the
# violation it must produce (explore's --match), then for each strategy the runs to the first
# matching violation over seeds 1..N ("-" when the budget ran out), and PCT's bound 1/(n k^(d-1))
# with 3/bound, the goal's ceiling. Free-running: `layerace stress` on its defaults with the same
# hazard and --stop-on the violation, one process per seed, its seconds running until then.
# Builds the default preset if needed (ci/build.sh). Exit 0 with the table; 2 on a usage error.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

seeds=3 runs=300 budget=60 only=
while (($#)); do
    case $1 in
    --seeds) seeds=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --budget) budget=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    -h | --help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "ci/detect-table.sh: unknown option '$1'" >&2; exit 2 ;;
    esac
done
[[ -x build/default/layerace-faults ]] || bash ci/build.sh default >/dev/null
bin=build/default/layerace-faults
work=$(mktemp -d "${TMPDIR:-/tmp}/layerace-detect.XXXXXX")
trap 'rm -rf "$work"' EXIT

# class | hazard knobs (explore and stress) | violation (extended regex)
classes=(
    "drop_during_drain|--policy off|I5: drop .* during the node's step-up"
    "create_during_stepup|--policy off|I5: create .* during the node's step-up"
    "write_vs_role_flip|--faults write_role_reread|I4: "
    "txn_across_stepup|--faults txn_strand|I1: "
    "commit_after_stepdown|--faults commit_no_gate|I4: "
    "drop_not_atomic|--faults drop_not_atomic|(I7|liveness): "
)
strategies=("random|--sched random" "pct d=2|--sched pct --depth 2" "pct d=3|--sched pct --depth 3"
    "pos|--sched pos" "urw|--sched urw")

# field FILE NAME: a top-level number from explore's JSON report.
field() { sed -n "s/^  \"$2\": \\([-0-9.e+]*\\),\$/\\1/p" "$1" | head -n 1; }

printf '%-22s %-9s %-22s %10s %14s %10s\n' class strategy "runs to detect (seeds)" mean "PCT bound" "3/bound"
for row in "${classes[@]}"; do
    IFS='|' read -r class hazard match <<<"$row"
    [[ -n $only && ",$only," != *",$class,"* ]] && continue
    for s in "${strategies[@]}"; do
        IFS='|' read -r sname sknobs <<<"$s"
        found=() total=0 nfound=0 bound=-
        for ((seed = 1; seed <= seeds; seed++)); do
            out=$work/$class-${sname// /}-$seed
            # shellcheck disable=SC2086 # the knobs are words
            "$bin" explore --seed "$seed" --runs "$runs" --duration "$budget" $hazard $sknobs \
                --match "$match" --out "$out" --json "$out.json" --quiet >"$out.txt" 2>&1 || true
            if grep -q '"status": "violation"' "$out.json" 2>/dev/null; then
                n=$(field "$out.json" runs)
                found+=("$n")
                total=$((total + n))
                nfound=$((nfound + 1))
            else
                found+=("-")
            fi
            b=$(field "$out.json" pct_bound)
            [[ -n $b ]] && bound=$b
            rm -rf "$out"
        done
        mean=-
        ((nfound > 0)) && mean=$(awk -v t="$total" -v n="$nfound" 'BEGIN { printf "%.1f", t / n }')
        ceil=-
        [[ $bound != - ]] && ceil=$(awk -v b="$bound" 'BEGIN { printf "%.3g", 3 / b }')
        printf '%-22s %-9s %-22s %10s %14s %10s\n' "$class" "$sname" "${found[*]}" "$mean" "$bound" "$ceil"
    done
    # Free-running: the stress job's defaults with the same hazard, stopping at that violation.
    secs=()
    for ((seed = 1; seed <= seeds; seed++)); do
        out=$work/$class-free-$seed
        rc=0
        # shellcheck disable=SC2086
        "$bin" stress --seed "$seed" --duration "$budget" $hazard --stop-on "$match" --out "$out" \
            >"$out.txt" 2>&1 || rc=$?
        if ((rc == 1)) && grep -Eq "^violation [0-9]+ of [0-9]+: ($match)" "$out.txt"; then
            secs+=("$(sed -n 's/^  time  *\([0-9.]*\) s running.*/\1/p' "$out.txt")")
        else
            secs+=("-")
        fi
        rm -rf "$out"
    done
    printf '%-22s %-9s %-22s (seconds running to it, default stress job)\n' "$class" free "${secs[*]}"
done
