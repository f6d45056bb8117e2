#!/usr/bin/env bash
# check_readme.sh XFAIL_DEF README -- the README table and xfail.def agree: every listed case's
# method has a row that gives "xfail (N)" for its reason, and every "xfail (N)" in a row has a
# listed case of that method with that reason.
set -euo pipefail
def=$1 readme=$2
bad=0
pat='s/^UP_XFAIL("[a-z0-9_]*", "\([^"[]*\)[^"]*", \([0-9]*\))$/\1|\2/p'

while IFS='|' read -r method reason; do
    if ! grep -F "| ${method} " "$readme" | grep -qF "xfail (${reason})"; then
        echo "xfail.def lists ${method} (reason ${reason}); no README row says xfail (${reason})"
        bad=1
    fi
done < <(sed -n "$pat" "$def" | sort -u)

while IFS='|' read -r method reason; do
    if ! grep -q "^UP_XFAIL(\"[a-z0-9_]*\", \"${method}[\"[].*, ${reason})$" "$def"; then
        echo "README says ${method} is xfail (${reason}); xfail.def has no such case"
        bad=1
    fi
done < <(awk '/^\| test_/ {
    split($0, f, " "); line = $0
    while (match(line, /xfail \([0-9]+\)/)) {
        print f[2] "|" substr(line, RSTART + 7, RLENGTH - 8); line = substr(line, RSTART + RLENGTH)
    }
}' "$readme" | sort -u)

if ((bad)); then
    exit 1
fi
echo "README.md and xfail.def agree"
