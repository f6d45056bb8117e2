#!/usr/bin/env bash
# ci/lint.sh [CHECK...] -- the static checks, in seconds; CHECK is format, cppcheck or shellcheck
# (all three when none is given):
#   - format      ci/format.sh --check: every tracked .c/.h file as .clang-format has it
#   - cppcheck    cppcheck over every C source as the default preset compiles it (product and
#                 _faults variants), checks warning, style, performance, portability; false
#                 positives are in ci/cppcheck.supp, each with its reason
#   - shellcheck  every tracked shell script (*.sh and #! scripts), options in .shellcheckrc
# Compiler warnings are not here: the builds have them on, as errors (CMakeLists.txt).
# It runs every check even after a finding, prints a summary and the line
# "=== lint result: PASS|FAIL (...)" that ci/test.sh reads, and exits 1 if anything was found
# (2 on a usage error). The tools come from ci/setup.sh.
set -euo pipefail

usage() {
    echo "usage: ci/lint.sh [format|cppcheck|shellcheck]..." >&2
    exit 2
}

checks=()
for arg in "$@"; do
    case $arg in
    format | cppcheck | shellcheck) checks+=("$arg") ;;
    *) usage ;;
    esac
done
((${#checks[@]} > 0)) || checks=(format cppcheck shellcheck)

cd "$(dirname "${BASH_SOURCE[0]}")/.."

logs=build/logs
mkdir -p "$logs"
declare -A result detail

# have TOOL CHECK: true if TOOL is installed, else record CHECK as failed.
have() {
    if command -v "$1" >/dev/null; then
        return 0
    fi
    result[$2]=FAIL
    detail[$2]="$1 not installed (ci/setup.sh installs it)"
    return 1
}

run_format() {
    local rc=0
    have clang-format format || return 0
    echo "=== lint: format"
    ci/format.sh --check 2>&1 | tee "$logs/lint-format.log" || rc=$?
    if ((rc == 0)); then
        result[format]=PASS
        detail[format]=$(tail -n 1 "$logs/lint-format.log")
    else
        result[format]=FAIL
        detail[format]="$(grep -m 1 -oE '[0-9]+ of [0-9]+ files need formatting' \
            "$logs/lint-format.log" || echo "ci/format.sh --check exited $rc"); ci/format.sh --fix"
    fi
}

run_cppcheck() {
    local db=build/default/compile_commands.json rc=0 n
    have cppcheck cppcheck || return 0
    echo "=== lint: cppcheck"
    # The compile database gives cppcheck each file's include paths and definitions.
    if ! cmake --preset default >"$logs/lint-configure.log" 2>&1 || [[ ! -f $db ]]; then
        cat "$logs/lint-configure.log"
        result[cppcheck]=FAIL
        detail[cppcheck]="cannot configure the default preset for its compile database"
        return 0
    fi
    # build/cppcheck keeps results per file: a second run redoes only what changed.
    mkdir -p build/cppcheck
    cppcheck --project="$db" --std=c11 --library=posix \
        --enable=warning,style,performance,portability \
        --suppressions-list=ci/cppcheck.supp --inline-suppr \
        --cppcheck-build-dir=build/cppcheck --error-exitcode=1 --quiet \
        --template='{file}:{line}:{column}: {severity}: {message} [{id}]' \
        2>&1 | tee "$logs/lint-cppcheck.log" || rc=$?
    n=$(grep -cE '^[^ ]+:[0-9]+:[0-9]+: ' "$logs/lint-cppcheck.log" || true)
    if ((rc == 0 && n == 0)); then
        result[cppcheck]=PASS
        n=$(grep -oE '"file": *"[^"]+"' "$db" | sort -u | wc -l)
        detail[cppcheck]="$n files, no finding"
    else
        result[cppcheck]=FAIL
        detail[cppcheck]="$n finding(s), exit $rc; see $logs/lint-cppcheck.log"
    fi
}

run_shellcheck() {
    local f first n rc=0 scripts=()
    have shellcheck shellcheck || return 0
    echo "=== lint: shellcheck"
    while IFS= read -r f; do
        first=
        if [[ -f $f ]]; then
            IFS= read -r first <"$f" || true
        fi
        if [[ $f == *.sh || $first =~ ^\#!.*(/|env\ )(ba)?sh([[:space:]]|$) ]]; then
            scripts+=("$f")
        fi
    done < <(git ls-files 2>/dev/null || find . -path ./build -prune -o -path ./.git -prune -o \
        -type f -printf '%P\n')
    shellcheck -f gcc "${scripts[@]}" 2>&1 | tee "$logs/lint-shellcheck.log" || rc=$?
    if ((rc == 0)); then
        result[shellcheck]=PASS
        detail[shellcheck]="${#scripts[@]} scripts, no finding"
    else
        result[shellcheck]=FAIL
        n=$(wc -l <"$logs/lint-shellcheck.log")
        detail[shellcheck]="$n finding(s); see $logs/lint-shellcheck.log"
    fi
}

start=$SECONDS
for check in "${checks[@]}"; do
    case $check in
    format) run_format ;;
    cppcheck) run_cppcheck ;;
    shellcheck) run_shellcheck ;;
    *) usage ;;
    esac
done

status=0
summary=()
echo
echo "=== lint summary ($((SECONDS - start)) s)"
for check in "${checks[@]}"; do
    printf '%-10s  %-4s  %s\n' "$check" "${result[$check]}" "${detail[$check]}"
    summary+=("$check ${result[$check]}")
    [[ ${result[$check]} == PASS ]] || status=1
done
joined=$(printf '%s, ' "${summary[@]}")
if ((status == 0)); then
    echo "=== lint result: PASS (${joined%, })"
else
    echo "=== lint result: FAIL (${joined%, })"
fi
exit $status
