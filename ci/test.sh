#!/usr/bin/env bash
# ci/test.sh [--duration S] -- the whole test suite: install what is missing, then
#   lint     ci/lint.sh: clang-format check, cppcheck, shellcheck (seconds);
#   default  configure, build, ctest;
#   mutants  ci/mutants.sh --sample 3 (all detectors but tsan and upstream: the first builds the
#            scratch tree again, the second adds half a minute): three mutants the detectors
#            must kill (the baseline only when the default job failed: otherwise it just ran);
#   tsan     ci/tsan.sh --duration S: build, ctest, `layerace stress --threads 8` with policies
#            reject and wait (clean, no TSan report), the must-detect scenarios;
#   asan     ci/asan.sh --duration S: the same under ASan + UBSan;
#   fuzz     ci/fuzz.sh --duration S: build the fuzz preset, each libFuzzer target for S seconds.
# S is 10 seconds per stress run by default (ci/tsan.sh and ci/asan.sh alone use 60). It goes
# through all four even after a failure, so one run shows everything, prints a final table, and
# exits nonzero if anything failed. Logs are kept in build/logs/.
set -euo pipefail

duration=10
while (($# > 0)); do
    case $1 in
    --duration)
        if ! { (($# >= 2)) && [[ $2 =~ ^[0-9]+(\.[0-9]{1,3})?$ ]]; }; then
            echo "usage: ci/test.sh [--duration S]" >&2
            exit 2
        fi
        duration=$2
        shift 2
        ;;
    *)
        echo "usage: ci/test.sh [--duration S]" >&2
        exit 2
        ;;
    esac
done

cd "$(dirname "${BASH_SOURCE[0]}")/.."

presets=(lint default mutants tsan asan fuzz)
logs=build/logs

ci/setup.sh
mkdir -p "$logs"

declare -A result summary seconds
status=0

# lint: the static checks, before the builds (they take seconds).
start=$SECONDS
rc=0
ci/lint.sh 2>&1 | tee "$logs/lint.log" || rc=$?
seconds[lint]=$((SECONDS - start))
line=$(grep -E '^=== lint result: ' "$logs/lint.log" | tail -n 1 || true)
detail=${line#=== lint result: * (}
summary[lint]=${detail%)}
[[ -n $line ]] || summary[lint]="(no result line; see $logs/lint.log)"
if ((rc != 0)) || [[ -z $line ]]; then
    result[lint]="FAIL"
    status=1
else
    result[lint]="PASS"
fi

# default: build and ctest.
start=$SECONDS
echo
echo "=== default: build"
if ! ci/build.sh default 2>&1 | tee "$logs/default-build.log"; then
    result[default]="BUILD FAILED"
    summary[default]="(no tests run; see $logs/default-build.log)"
    status=1
else
    echo
    echo "=== default: ctest"
    rc=0
    ctest --preset default 2>&1 | tee "$logs/default-ctest.log" || rc=$?
    line=$(grep -E '[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' \
        "$logs/default-ctest.log" | tail -n 1 || true)
    summary[default]=${line:-"(ctest printed no summary; see $logs/default-ctest.log)"}
    if ((rc != 0)) || [[ -z $line ]]; then
        result[default]="FAIL"
        status=1
    else
        result[default]="PASS"
    fi
fi
seconds[default]=$((SECONDS - start))

# mutants: a sample of the mutation test (ci/mutants.sh; its last line is the kill rate).
start=$SECONDS
rc=0
# The mutants' baseline (the unmutated tree through every detector) is what the default job's
# ctest just ran on the same tree, and the sanitizer jobs run the stress detectors: skipped then.
nobase=()
[[ ${result[default]} == PASS ]] && nobase=(--no-baseline)
ci/mutants.sh --sample 3 --detectors cursor,race,unit,reject,wait,explore "${nobase[@]}" 2>&1 |
    tee "$logs/mutants.log" || rc=$?
seconds[mutants]=$((SECONDS - start))
line=$(grep -E '^kill rate: ' "$logs/mutants.log" | tail -n 1 || true)
summary[mutants]=${line:-"(no kill rate; see $logs/mutants.log)"}
if ((rc != 0)) || [[ -z $line ]]; then
    result[mutants]="FAIL"
    status=1
else
    result[mutants]="PASS"
fi

# tsan, asan, fuzz: the sanitizer and fuzz jobs at the reduced duration.
for preset in tsan asan fuzz; do
    start=$SECONDS
    rc=0
    "ci/$preset.sh" --duration "$duration" 2>&1 | tee "$logs/$preset.log" || rc=$?
    seconds[$preset]=$((SECONDS - start))
    line=$(grep -E "^=== $preset result: " "$logs/$preset.log" | tail -n 1 || true)
    detail=${line#=== "$preset" result: * (}
    summary[$preset]=${detail%)}
    [[ -n $line ]] || summary[$preset]="(no result line; see $logs/$preset.log)"
    if ((rc != 0)) || [[ -z $line ]]; then
        result[$preset]="FAIL"
        status=1
    else
        result[$preset]="PASS"
    fi
done

echo
echo "=== summary (stress runs of $duration s)"
printf '%-8s  %-12s  %6s  %s\n' preset result time detail
for preset in "${presets[@]}"; do
    printf '%-8s  %-12s  %5ss  %s\n' "$preset" "${result[$preset]}" "${seconds[$preset]}" \
        "${summary[$preset]}"
done
exit $status
