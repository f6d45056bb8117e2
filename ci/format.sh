#!/usr/bin/env bash
# ci/format.sh --check|--fix -- the project's C sources (tracked .c/.h) against .clang-format.
#   --check  list the files clang-format would change and exit 1 if there is any (changes nothing)
#   --fix    format them in place
set -euo pipefail

usage() {
    echo "usage: ci/format.sh --check|--fix" >&2
    exit 2
}

(($# == 1)) || usage
mode=$1
case $mode in
--check | --fix) ;;
*) usage ;;
esac

cd "$(dirname "${BASH_SOURCE[0]}")/.."

if ! command -v clang-format >/dev/null; then
    echo "format: clang-format not found (ci/setup.sh installs it)" >&2
    exit 2
fi

# The tracked sources; outside a git checkout (a CI tarball), every .c/.h file but build/'s.
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    mapfile -t files < <(git ls-files -- '*.c' '*.h')
else
    mapfile -t files < <(find . -path ./build -prune -o -type f \( -name '*.c' -o -name '*.h' \) \
        -printf '%P\n' | sort)
fi
if ((${#files[@]} == 0)); then
    echo "format: no C sources found" >&2
    exit 2
fi

if [[ $mode == --fix ]]; then
    clang-format -i -- "${files[@]}"
    echo "format: formatted ${#files[@]} files"
    exit 0
fi

# --dry-run prints one "file:line:col: error: code should be clang-formatted" per change.
out=$(clang-format --dry-run --Werror -- "${files[@]}" 2>&1) && rc=0 || rc=$?
if ((rc == 0)); then
    echo "format: ${#files[@]} files clean"
    exit 0
fi
bad=$(grep -oE '^[^:]+:[0-9]+:[0-9]+: error: code should be clang-formatted' <<<"$out" |
    cut -d: -f1 | sort | uniq -c | sort -rn || true)
if [[ -z $bad ]]; then
    echo "$out" >&2
    echo "format: clang-format failed (exit $rc)" >&2
    exit 2
fi
echo "format: $(wc -l <<<"$bad") of ${#files[@]} files need formatting (changes per file):"
echo "$bad"
echo "format: run ci/format.sh --fix to format them"
exit 1
