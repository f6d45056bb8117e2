#!/usr/bin/env bash
# ci/asan.sh [--duration S] [--threads N] -- the AddressSanitizer + UndefinedBehaviorSanitizer job:
# build the asan preset, ctest, `layerace stress --threads 8 --duration 60` with --policy reject
# and with --policy wait (both clean), then the must-detect scenarios. See ci/sanitize.sh.
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/sanitize.sh" asan "$@"
