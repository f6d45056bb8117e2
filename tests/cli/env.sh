#!/usr/bin/env bash
# tests/cli/env.sh CASE LAYERACE WORKDIR -- a failure of the environment is not a finding (ctest
# label "env"): the run ends with exit 2 and one line saying what ran out and where, never with
# exit 1 and "contract" violations.
#   fds:   the open-file limit is too low for the cluster (EMFILE)
#   disk:  --out on a 3 MiB tmpfs (ENOSPC); needs the right to mount, else skipped (exit 77)
set -u
if (($# != 3)); then
    echo "usage: tests/cli/env.sh CASE LAYERACE WORKDIR" >&2
    exit 2
fi
case=$1
bin=$2
work=$3

# Sourced before the cd below: the path of this script may be relative.
# shellcheck source=tests/cli/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 2
rm -rf "$work"
mkdir -p "$work"
cd "$work" || exit 2

# The verdict every case wants: exit 2, the environment line, no violation reported.
verdict() {
    local what=$1 code=$2
    has out.txt '^result: error$'
    has out.txt "^  error        environment: $what \\($code .*\\) under .*: .*; first seen: "
    has out.txt '^  violations   0 \(must be 0\)$'
    hasnt out.txt '^violation [0-9]+ of'
}

fds() {
    (
        ulimit -n 30 || exit 3
        "$bin" stress --seed 1 --duration 3 --tables 8 --out o >out.txt 2>err.txt
    )
    local rc=$?
    ((rc == 2)) || { cat out.txt err.txt >&2; fail "exit $rc with 30 file descriptors, expected 2"; }
    verdict "out of file descriptors" EMFILE
    has out.txt 'raise the open-file limit'
    echo "ok: EMFILE: $(sed -n 's/^  error        //p' out.txt | cut -c1-100)"
}

disk() {
    mkdir -p tiny
    if ! mount -t tmpfs -o size=3m tmpfs tiny 2>/dev/null; then
        echo "skipped: cannot mount a tmpfs here (needs root and CAP_SYS_ADMIN)"
        exit 77
    fi
    trap 'umount "$work/tiny"' EXIT
    expect 2 timeout 300 "$bin" stress --seed 1 --duration 10 --out tiny/o
    verdict "out of disk space" ENOSPC
    has out.txt "under tiny/o/db-1, [0-9]+ KiB free: free space there or give --out"
    has out.txt '^repro file: tiny/o/repro-1\.conf$'
    echo "ok: ENOSPC: $(sed -n 's/^  error        //p' out.txt | cut -c1-100)"
}

case $case in
fds | disk) $case ;;
*)
    echo "tests/cli/env.sh: unknown case '$case'" >&2
    exit 2
    ;;
esac
