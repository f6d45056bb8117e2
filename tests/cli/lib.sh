# shellcheck shell=bash
# tests/cli/lib.sh -- what the command-line test scripts share (sourced, not run): fail, the
# expect/has/hasnt checks, and trace_of for controlled runs' trace hashes.

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

# hasnt FILE REGEX: no line of FILE matches REGEX.
hasnt() {
    if grep -Eq -- "$2" "$1"; then
        echo "--- $1" >&2
        cat "$1" >&2
        fail "$1 has a line matching /$2/"
    fi
}

# trace_of FILE: the trace hash a controlled run printed in FILE.
trace_of() {
    sed -n 's/^  scheduler .*trace \([0-9a-f]\{16\}\)$/\1/p' "$1"
}
