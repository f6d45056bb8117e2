#!/usr/bin/env bash
# ci/tsan.sh [--duration S] [--threads N] -- the ThreadSanitizer job: build the tsan preset, ctest,
# `layerace stress --threads 8 --duration 60` with --policy reject and with --policy wait (both
# clean: 0 TSan reports, 0 violations), then the must-detect scenarios. See ci/sanitize.sh.
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/sanitize.sh" tsan "$@"
