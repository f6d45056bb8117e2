#!/usr/bin/env bash
# ci/bench.sh -- set up, build the default preset, and run the benchmark:
#   ci/bench.sh [--quick] [--dir DIR] [--json FILE] [--rounds N] [--keep]
# The benchmark compares liblayered with raw WiredTiger 3.2.1 in the same process and prints
# layered/baseline ratios against their goals. It exits 0 even when a goal is missed, 1 if an
# operation failed, 2 on a usage or environment error.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ -f ci/setup.sh ]]; then
    bash ci/setup.sh
fi
if [[ -f ci/build.sh ]]; then
    bash ci/build.sh default
fi
if [[ ! -x build/default/layerace ]]; then
    echo "ci/bench.sh: build/default/layerace is missing; build the default preset first" >&2
    exit 2
fi
exec build/default/layerace bench "$@"
