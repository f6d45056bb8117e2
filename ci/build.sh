#!/usr/bin/env bash
# ci/build.sh PRESET -- configure and build one preset (default, tsan or asan) into build/PRESET.
# Does not install anything: ci/setup.sh does that.
set -euo pipefail

usage() {
    echo "usage: ci/build.sh default|tsan|asan" >&2
    exit 2
}

(($# == 1)) || usage
preset=$1
case $preset in
default | tsan | asan) ;;
*) usage ;;
esac

cd "$(dirname "${BASH_SOURCE[0]}")/.."

cmake --preset "$preset"
cmake --build --preset "$preset"
