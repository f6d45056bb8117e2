#!/usr/bin/env bash
# ci/test.sh -- the whole test suite: install what is missing, then for each preset (default,
# tsan, asan) configure, build and run ctest. It goes through all three even after a failure, so
# one run shows everything, prints each ctest summary and a final table, and exits nonzero if any
# build or test failed. Logs are kept in build/logs/.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

presets=(default tsan asan)
logs=build/logs

ci/setup.sh
mkdir -p "$logs"

declare -A result summary seconds
total_passed=0
total_failed=0
status=0

for preset in "${presets[@]}"; do
    echo
    echo "=== $preset: build"
    start=$SECONDS
    if ! ci/build.sh "$preset" 2>&1 | tee "$logs/$preset-build.log"; then
        result[$preset]="BUILD FAILED"
        summary[$preset]="(no tests run; see $logs/$preset-build.log)"
        seconds[$preset]=$((SECONDS - start))
        total_failed=$((total_failed + 1))
        status=1
        continue
    fi

    echo
    echo "=== $preset: ctest"
    rc=0
    ctest --preset "$preset" 2>&1 | tee "$logs/$preset-ctest.log" || rc=$?
    seconds[$preset]=$((SECONDS - start))

    line=$(grep -E '[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' \
        "$logs/$preset-ctest.log" | tail -n 1 || true)
    if [[ $line =~ ([0-9]+)\ tests?\ failed\ out\ of\ ([0-9]+) ]]; then
        failed=${BASH_REMATCH[1]}
        ran=${BASH_REMATCH[2]}
        total_passed=$((total_passed + ran - failed))
        total_failed=$((total_failed + failed))
        summary[$preset]=$line
    else
        failed=1
        total_failed=$((total_failed + 1))
        summary[$preset]="(ctest printed no summary; see $logs/$preset-ctest.log)"
    fi
    if ((rc != 0 || failed != 0)); then
        result[$preset]="FAIL"
        status=1
    else
        result[$preset]="PASS"
    fi
done

echo
echo "=== summary"
printf '%-8s  %-12s  %6s  %s\n' preset result time ctest
for preset in "${presets[@]}"; do
    printf '%-8s  %-12s  %5ss  %s\n' "$preset" "${result[$preset]}" "${seconds[$preset]}" \
        "${summary[$preset]}"
done
echo
echo "total: $total_passed passed, $total_failed failed"
exit $status
