#!/usr/bin/env bash
# ci/fuzz.sh [SECONDS | --duration SECONDS] [TARGET...] -- the fuzz job: build the fuzz preset (clang-14, libFuzzer,
# ASan + UBSan) if needed, then run each fuzz/ target for SECONDS (60 by default), two at a time
# (each libFuzzer process is one thread; FUZZ_JOBS=N for another number), over its seeds in
# fuzz/corpus/TARGET. New corpus entries go to build/fuzz/fuzz-work/TARGET/corpus
# (never into the tree); a finding (crash, sanitizer report, broken property, hang over 10 s,
# leak) is kept as build/fuzz/fuzz-work/TARGET/crash-* (or leak-*, timeout-*) and makes the job
# fail. Prints libFuzzer's final stats per target and a table of executions; logs in
# build/fuzz/fuzz-work/TARGET/log. Targets: repro cursor_repro argv schedule api (default all).
set -euo pipefail

usage() {
    echo "usage: ci/fuzz.sh [SECONDS | --duration SECONDS] [TARGET...]" >&2
    exit 2
}

seconds=60
if (($# > 1)) && [[ $1 == --duration ]]; then
    shift
    [[ $1 =~ ^[0-9]+(\.[0-9]{1,3})?$ ]] || usage
fi
# Whole seconds (libFuzzer's -max_total_time): a fraction rounds up.
if (($# > 0)) && [[ $1 =~ ^([0-9]+)(\.[0-9]{1,3})?$ ]]; then
    seconds=$((10#${BASH_REMATCH[1]}))
    [[ -z ${BASH_REMATCH[2]} || ${BASH_REMATCH[2]} =~ ^\.0+$ ]] || seconds=$((seconds + 1))
    shift
fi
((seconds > 0)) || usage
all=(repro cursor_repro argv schedule api)
targets=("$@")
((${#targets[@]} > 0)) || targets=("${all[@]}")
for t in "${targets[@]}"; do
    [[ " ${all[*]} " == *" $t "* ]] || usage
done

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD

ci/setup.sh
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz

# shellcheck source=ci/sanitizers.env
LR_ROOT=$root . ci/sanitizers.env
work=build/fuzz/fuzz-work
jobs=${FUZZ_JOBS:-2}
[[ $jobs =~ ^[1-9][0-9]*$ ]] || {
    echo "ci/fuzz.sh: FUZZ_JOBS wants a positive number, not '$jobs'" >&2
    exit 2
}
declare -A execs rate result
status=0

# One target in the background: its exit status goes to DIR/rc.
fuzz_one() {
    local t=$1 dir=$work/$1 rc=0
    # The scratch dir first: libFuzzer adds new inputs to the first corpus directory.
    "build/fuzz/fuzz_$t" "$dir/corpus" "fuzz/corpus/$t" -max_total_time="$seconds" \
        -print_final_stats=1 -timeout=10 -rss_limit_mb=4096 -max_len=8192 \
        -artifact_prefix="$dir/" >"$dir/log" 2>&1 || rc=$?
    echo "$rc" >"$dir/rc"
}

running=0
for t in "${targets[@]}"; do
    dir=$work/$t
    rm -rf "$dir"
    mkdir -p "$dir/corpus"
    echo "=== fuzz $t: $seconds s (started)"
    fuzz_one "$t" &
    running=$((running + 1))
    if ((running >= jobs)); then
        wait -n || true
        running=$((running - 1))
    fi
done
wait

for t in "${targets[@]}"; do
    dir=$work/$t
    rc=$(cat "$dir/rc" 2>/dev/null || echo 1)
    echo
    echo "=== fuzz $t: $seconds s"
    grep -E '^stat::|^(==[0-9]+==)?ERROR|^fuzz finding|^SUMMARY|Test unit written' "$dir/log" || true
    execs[$t]=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -n 1)
    rate[$t]=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$dir/log" | tail -n 1)
    findings=$(find "$dir" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' -o \
        -name 'timeout-*' -o -name 'oom-*' \) | sort)
    if ((rc != 0)) || [[ -n $findings ]]; then
        result[$t]="FINDING"
        status=1
        echo "fuzz $t: exit $rc; kept: ${findings:-none}; log $dir/log"
    else
        result[$t]="clean"
    fi
done

echo
echo "=== fuzz summary ($seconds s per target)"
printf '%-14s  %-8s  %12s  %8s\n' target result executions exec/s
for t in "${targets[@]}"; do
    printf '%-14s  %-8s  %12s  %8s\n' "$t" "${result[$t]}" "${execs[$t]:-?}" "${rate[$t]:-?}"
done
echo "=== fuzz result: $([[ $status == 0 ]] && echo PASS || echo FAIL) (${#targets[@]} targets)"
exit $status
