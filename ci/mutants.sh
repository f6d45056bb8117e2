#!/usr/bin/env bash
# ci/mutants.sh [--sample N] [--only ID,...] [--budget SEC] [--seed S] [--detectors LIST] [--keep]
#   [--no-baseline]
#   -- mutation testing: how much of liblayered's breakage the detectors find.
#
# Each mutant of ci/mutants/mutants.def (a small textual change to layered/*.c: a lock pair
# removed, two acquisitions swapped, a check split from its act, a grace period skipped, a
# re-check dropped, an off-by-one, a relaxed publication, a hook admission, drain step or GC pin
# check skipped, a timestamp comparison turned) is applied, one at a time, to a scratch copy of
# the tree (build/mutants/src, a copy of this tree's files; its build dir is the default preset's,
# reused so that only the mutated file recompiles). Then the detectors run, cheapest first,
# until one fails (the mutant is killed) or the budget of detector time is spent (it survives):
#
#   cursor   layerace cursor, seeds 1, 2, 3 and 5, 25000 operations each, against the oracle (5-15 s)
#   tsan     layerace stress --policy wait, seeded, 6 s, in a ThreadSanitizer build of the scratch tree
#            (build/mutants/src/build/tsan): a data race the mutant made is a report, as in ci/tsan.sh
#   race     the race catalogue's must-pass ctests (race.*.pass, and upstream's 12 scenarios under
#            every other policy, race.stepup12.*: product binary)
#   unit     the unit ctests (label unit: tests/test_*.c)
#   upstream the upstream conformance ctests (label upstream: tests/upstream/up_*.c, upstream's
#            test_layered*.py re-expressed; a mutant that breaks upstream's behaviour fails one)
#   reject   layerace stress --policy reject, seeded, 10 s
#   wait     layerace stress --policy wait, seeded, 10 s
#   explore  layerace explore --runs 200 (reject and wait), for what is left of the budget
#
# Before the mutants the unmutated scratch tree must pass the same detectors (the baseline): a
# mutant run means nothing otherwise. A mutant whose text no longer matches the source "does not
# apply"; one that does not build is "stillborn"; both are listed and not counted. A mutant
# whose object code is the unmutated file's is equivalent (the compiler made the same program:
# no detector can kill it), and so are those marked `equivalent` (with the argument): run, but
# left out of the rate. Mutants marked `survives` (with what the detectors cannot see) are
# expected to survive.
#
# Options:
#   --sample N     run N mutants drawn (by --seed) from those expected to be killed
#   --only ID,...  run these mutants only
#   --budget SEC   detector time per mutant [60]
#   --seed S       the sample's seed [the day of the year, printed]
#   --detectors L  the detectors to run, in their order, comma-separated [all of the above]
#   --keep         keep every mutant's detector logs and leave the last mutant in the scratch
#                  tree (otherwise only the logs of survivors and stillborn mutants are kept, in
#                  build/mutants/logs, and the scratch tree is restored)
#   --no-baseline  skip the baseline run (when it just passed)
#
# Prints a table (id, operator, file, result, seconds to kill) and the kill rate, killed /
# (applied and built - equivalent). Exits 0 when every mutant expected to be killed was, 1 when
# one survived (a detector lost power), 2 on a usage error, a failing baseline or a broken tree.
set -euo pipefail

usage() {
    sed -n '2p' "${BASH_SOURCE[0]}" | sed 's/^# //' >&2
    exit 2
}

sample=0
only=""
chosen=""
budget=60
seed=$((10#$(date +%j)))
keep=false
baseline=true
while (($# > 0)); do
    case $1 in
    --sample | --only | --budget | --seed | --detectors)
        (($# >= 2)) || usage
        pattern='^[1-9][0-9]*$'
        [[ $1 != --only && $1 != --detectors ]] || pattern='^[a-z0-9,-]+$'
        [[ $1 != --seed ]] || pattern='^[0-9]+$'
        [[ $2 =~ $pattern ]] || usage
        case $1 in
        --sample) sample=$2 ;;
        --only) only=$2 ;;
        --budget) budget=$2 ;;
        --detectors) chosen=$2 ;;
        *) seed=$2 ;;
        esac
        shift 2
        ;;
    --keep) keep=true && shift ;;
    --no-baseline) baseline=false && shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' && exit 0 ;;
    *) usage ;;
    esac
done

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
def=ci/mutants/mutants.def
tool=ci/mutants/mutants.py
work=$root/build/mutants
src=$work/src
bld=$src/build/default
tbld=$src/build/tsan
logs=$work/logs
mkdir -p "$work" "$logs"

# The unit and upstream ctests: every test of the labels (tests/test_*.c, tests/upstream/up_*.c),
# built by name.
unit_tests=()
all_detectors=(cursor tsan race unit upstream reject wait explore)
detectors=("${all_detectors[@]}")
if [[ -n $chosen ]]; then
    IFS=, read -ra detectors <<<"$chosen"
    for det in "${detectors[@]}"; do
        [[ " ${all_detectors[*]} " == *" $det "* ]] || {
            echo "ci/mutants.sh: no detector '$det' (${all_detectors[*]})" >&2
            exit 2
        }
    done
fi

# The mutant list: id file op equivalent why argument survives only.
listing=$(python3 "$tool" list "$def") || exit 2
mapfile -t lines <<<"$listing"
declare -A m_file m_op m_equiv m_why m_arg m_surv
ids=()
for line in "${lines[@]}"; do
    IFS=$'\t' read -r id file op equiv why arg surv only_det <<<"$line"
    ids+=("$id")
    m_file[$id]=$file
    m_op[$id]=$op
    m_equiv[$id]=$equiv
    m_why[$id]=$why
    m_arg[$id]=$arg
    m_surv[$id]=$surv
    # Seen by one detector alone, which this run leaves out: expected to survive.
    if [[ $only_det != - && " ${detectors[*]} " != *" $only_det "* ]]; then
        m_surv[$id]="only the $only_det detector sees it, and this run leaves it out"
    fi
done

run=()
if [[ -n $only ]]; then
    IFS=, read -ra run <<<"$only"
    for id in "${run[@]}"; do
        [[ -n ${m_file[$id]+x} ]] || {
            echo "ci/mutants.sh: no mutant '$id' in $def" >&2
            exit 2
        }
    done
elif ((sample > 0)); then
    pool=()
    for id in "${ids[@]}"; do
        [[ ${m_equiv[$id]} == 1 || ${m_surv[$id]} != - ]] || pool+=("$id")
    done
    mapfile -t run < <(printf '%s\n' "${pool[@]}" |
        shuf -n "$sample" --random-source=<(yes "$seed"))
    echo "sample of ${#run[@]} (seed $seed; ci/mutants.sh --only $(
        IFS=,
        echo "${run[*]}"
    ) repeats it)"
else
    run=("${ids[@]}")
fi

# The scratch tree: this tree's files, rewritten only where they differ (the build stays
# incremental: the file the last mutant changed recompiles, and the next mutant's).
sync_tree() {
    mkdir -p "$src"
    python3 "$tool" sync "$root" "$src"
}

build() {
    {
        [[ -f $bld/build.ninja ]] || (cd "$src" && cmake --preset default)
        # Built first: a new test file re-globs the tree, so the list below names it.
        cmake --build "$bld" --target layerace
        if ((${#unit_tests[@]} == 0)); then
            mapfile -t unit_tests < <(ctest --test-dir "$bld" -N -L 'unit|upstream' |
                sed -nE 's/^ *Test +#[0-9]+: +(test_[a-z0-9_]+|upstream_up_[a-z0-9_]+)$/\1/p')
            ((${#unit_tests[@]} > 0)) || return 1
        fi
        cmake --build "$bld" --target layerace "${unit_tests[@]}"
        if [[ " ${detectors[*]} " == *" tsan "* ]]; then
            [[ -f $tbld/build.ninja ]] || (cd "$src" && cmake --preset tsan)
            cmake --build "$tbld" --target layerace
        fi
    } >"$1" 2>&1
}

# run_detector NAME LIMIT LOG: run one detector for at most LIMIT seconds; prints its status:
# pass, fail (rc), or budget (stopped by the limit).
run_detector() {
    local name=$1 limit=$2 log=$3 d=$work/run rc=0 cmd
    rm -rf "$d" && mkdir -p "$d"
    case $name in
    race) cmd=(ctest --test-dir "$bld" -R '^race\.' -L must-pass -j2 --stop-on-failure) ;;
    unit) cmd=(ctest --test-dir "$bld" -L unit -j2 --stop-on-failure) ;;
    upstream) cmd=(ctest --test-dir "$bld" -L upstream -j2 --stop-on-failure) ;;
    cursor)
        # Four seeds in equal shares: the odd ones run with the application's oldest timestamps,
        # under which GC's bound rests on the library's pins alone, the even ones with the
        # library's (one seed alone misses some mutants of either).
        # shellcheck disable=SC2016 # expanded by the inner shell
        cmd=(bash -c 'for s in 1:25000 2:25000 3:25000 5:25000; do
            "$0" cursor --seed "${s%:*}" --ops "${s#*:}" --quiet --no-shrink --out "$1" || exit; done' \
            "$bld/layerace" "$d")
        ;;
    reject | wait)
        cmd=("$bld/layerace" stress --seed 7 --duration 10 --policy "$name" --quiet --out "$d")
        ;;
    tsan)
        # Policy wait: its waiters sleep and wake on the hook's lock and condition, which other
        # policies leave alone; every run has the checkpoints, pins and drains. The sanitizer's
        # options as every tsan run has them: a report halts the run (exit 66).
        # shellcheck disable=SC2016 # expanded by the inner shell
        cmd=(env LR_ROOT="$src" bash -c '. "$LR_ROOT/ci/sanitizers.env" &&
            exec "$0" stress --seed 7 --duration 6 --policy wait --quiet --out "$1"' \
            "$tbld/layerace" "$d")
        ;;
    *)
        cmd=("$bld/layerace" explore --seed 1 --runs 200 --duration "$((limit > 25 ? 20 : limit > 8 ? limit - 5 : 3))"
            --quiet --out "$d")
        ;;
    esac
    timeout -k 5 "$limit" "${cmd[@]}" >"$log" 2>&1 || rc=$?
    rm -rf "$d"
    local failed=""
    if [[ $name == race || $name == unit || $name == upstream ]]; then
        # The failed ctests, e.g. "fail (test_gc)": also when the limit stopped ctest while the
        # other job finished its test after one had already failed (--stop-on-failure with -j2).
        failed=$(sed -nE 's/^[[:space:]]*[0-9]+\/[0-9]+ Test +#[0-9]+: ([^ ]+) \.+\*\*\*.*/\1/p' \
            "$log" | paste -sd, -)
    fi
    if ((rc == 0)); then
        echo pass
    elif [[ -n $failed ]]; then
        echo "fail ($failed)"
    elif ((rc == 124 || rc == 137)); then
        echo budget
    else
        echo "fail (exit $rc)"
    fi
}

# The detectors' own time limits: a run past it hangs (a kill), not the budget's end.
limit_of() {
    case $1 in
    race | unit | upstream) echo 120 ;;
    cursor) echo 60 ;;
    tsan) echo 45 ;;
    reject | wait) echo 40 ;;
    *) echo 45 ;;
    esac
}

# objects FILE: the disassembly of the mutated file's objects (product and _faults libraries),
# without the header that names the object. Identical to the unmutated tree's, the mutant is
# equivalent: the compiler made the same code of it (trivial compiler equivalence).
objects() {
    local base o
    base=$(basename "$1")
    for o in "$bld/layered/CMakeFiles/layered.dir/$base.o" \
        "$bld/layered/CMakeFiles/layered_faults.dir/$base.o"; do
        objdump -dr --no-show-raw-insn "$o" | tail -n +4
    done
}

# shellcheck disable=SC2317 # called by the trap
restore() {
    if ! $keep; then
        sync_tree
    fi
}
trap restore EXIT

sync_tree
echo "=== build the scratch tree ($src)"
if ! build "$logs/build-baseline.log"; then
    echo "ci/mutants.sh: the unmutated scratch tree does not build: $logs/build-baseline.log" >&2
    exit 2
fi
mkdir -p "$work/tce"
for f in "$root"/layered/*.c; do
    objects "layered/${f##*/}" >"$work/tce/${f##*/}.dis"
done
if $baseline; then
    echo "=== baseline: the unmutated tree through every detector"
    for det in "${detectors[@]}"; do
        start=$SECONDS
        status=$(run_detector "$det" "$(limit_of "$det")" "$logs/baseline-$det.log")
        printf '  %-8s %-10s %3ss\n' "$det" "$status" "$((SECONDS - start))"
        if [[ $status != pass ]]; then
            echo "ci/mutants.sh: baseline fails in $det ($logs/baseline-$det.log): fix the tree first" >&2
            exit 2
        fi
    done
fi

declare -A result seconds
for id in "${run[@]}"; do
    sync_tree
    rm -rf "${logs:?}/$id"
    mkdir -p "$logs/$id"
    out=$(python3 "$tool" apply "$def" "$id" "$src") || {
        rc=$?
        ((rc == 3)) || exit 2
        result[$id]="does not apply"
        seconds[$id]="-"
        echo "--- $id: does not apply ($out)"
        continue
    }
    if ! build "$logs/$id/build.log"; then
        result[$id]=stillborn
        seconds[$id]="-"
        echo "--- $id: stillborn (build failed: $logs/$id/build.log)"
        continue
    fi
    seconds[$id]="-"
    if objects "${m_file[$id]}" | cmp -s - "$work/tce/$(basename "${m_file[$id]}").dis"; then
        result[$id]="same code"
        echo "--- $id: equivalent: its object code is the unmutated file's"
        continue
    fi
    result[$id]=SURVIVED
    spent=0
    for det in "${detectors[@]}"; do
        left=$((budget - spent))
        ((left > 0)) || break
        own=$(limit_of "$det")
        limit=$((own < left ? own : left))
        start=$SECONDS
        status=$(run_detector "$det" "$limit" "$logs/$id/$det.log")
        took=$((SECONDS - start))
        spent=$((spent + took))
        if [[ $status == fail* || ($status == budget && $limit == "$own") ]]; then
            [[ $status == budget ]] && status="hang"
            result[$id]="$det ${status#fail }"
            seconds[$id]=$spent
            break
        fi
        [[ $status == pass ]] || break
    done
    echo "--- $id: ${result[$id]} (${spent} s of detector time)"
    if [[ ${result[$id]} != SURVIVED ]] && ! $keep; then
        rm -rf "${logs:?}/$id"
    fi
done

echo
echo "=== mutants (budget ${budget} s of detector time each)"
printf '%-26s %-18s %-16s %-30s %s\n' id operator file "killed by" seconds
killed=0
counted=0
failed=0
unkilled=()
for id in "${run[@]}"; do
    r=${result[$id]}
    note=""
    case $r in
    "does not apply" | stillborn) ;;
    *)
        if [[ ${m_equiv[$id]} == 1 || $r == "same code" ]]; then
            note=" (equivalent)"
        else
            counted=$((counted + 1))
            if [[ $r == SURVIVED ]]; then
                unkilled+=("$id")
                [[ ${m_surv[$id]} != - ]] || failed=$((failed + 1))
            else
                killed=$((killed + 1))
                [[ ${m_surv[$id]} == - ]] || note=" (marked survives: remove the mark)"
            fi
        fi
        ;;
    esac
    printf '%-26s %-18s %-16s %-30s %s%s\n' "$id" "${m_op[$id]}" "${m_file[$id]#layered/}" "$r" \
        "${seconds[$id]}" "$note"
done
echo
if ((counted > 0)); then
    echo "kill rate: $killed / $counted = $((100 * killed / counted)) % (killed / (applied and built - equivalent))"
else
    echo "kill rate: no mutant counted"
fi
for id in "${run[@]}"; do
    case ${result[$id]} in
    "does not apply" | stillborn) echo "not counted: $id (${result[$id]})" ;;
    *) ;;
    esac
    if [[ ${m_equiv[$id]} == 1 ]]; then
        echo "equivalent: $id: ${m_arg[$id]}"
    elif [[ ${result[$id]} == "same code" ]]; then
        echo "equivalent: $id: the compiler made the same object code of it as of the original"
    fi
done
for id in "${unkilled[@]}"; do
    echo "survived: $id (${m_op[$id]}, ${m_file[$id]}): ${m_why[$id]}"
    if [[ ${m_surv[$id]} != - ]]; then
        echo "    expected: ${m_surv[$id]}"
    else
        echo "    NOT expected (no 'survives' mark in $def): logs in $logs/$id"
    fi
done
((failed == 0)) || exit 1
exit 0
