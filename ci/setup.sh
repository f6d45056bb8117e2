#!/usr/bin/env bash
# ci/setup.sh -- install everything layerace needs to build and test, from Debian 12's packages.
#
# Idempotent and quick when all is present: it asks dpkg first and runs apt-get (update, then
# install) only for what is missing. Works as root on a fresh machine; uses sudo otherwise.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive

packages=(
    libwiredtiger-dev # WiredTiger 3.2.1: headers, shared library, pkg-config file
    liburcu-dev       # liburcu 0.13 (urcu-memb, wait-free queue)
    cmake             # 3.25, with ctest
    ninja-build
    pkg-config
    gcc
    g++
    libc6-dev         # only a recommendation of gcc, so --no-install-recommends skips it
    libtsan2          # ThreadSanitizer runtime (gcc 12)
    libasan8          # AddressSanitizer runtime (gcc 12)
    libubsan1         # UndefinedBehaviorSanitizer runtime (gcc 12)
    clang-format      # 14: ci/format.sh, ci/lint.sh
    clang-14          # ci/fuzz.sh: the fuzz preset
    libclang-rt-14-dev # libFuzzer and clang's sanitizer runtimes (ci/fuzz.sh)
    cppcheck          # 2.10: ci/lint.sh
    shellcheck        # 0.9: ci/lint.sh
)

missing=()
for pkg in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
    if [[ $status != installed ]]; then
        missing+=("$pkg")
    fi
done

if ((${#missing[@]} == 0)); then
    echo "setup: all ${#packages[@]} packages present"
    exit 0
fi

if [[ $(id -u) -eq 0 ]]; then
    as_root=(env DEBIAN_FRONTEND=noninteractive)
else
    as_root=(sudo env DEBIAN_FRONTEND=noninteractive)
fi

echo "setup: installing ${missing[*]}"
"${as_root[@]}" apt-get update -q
"${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
echo "setup: done"
