#!/usr/bin/env bash
# ci/stress.sh [OPTIONS...] -- install what is missing, build the default preset, then run the
# main job: `layerace stress` with its defaults, or with OPTIONS passed through unchanged.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

ci/setup.sh
ci/build.sh default
exec build/default/layerace stress "$@"
