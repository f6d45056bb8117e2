#!/usr/bin/env bash
# cursor-soak.sh -- the long cursor stress: SEEDS seeds of OPS operations each, every injection on,
# the product code (layered_faults built, no fault switched on). Usage: ci/cursor-soak.sh [BUILD]
# [SEEDS] [OPS]. Exit 1 at the first divergence (its repro is under OUT).
set -euo pipefail
build=${1:-build/default}
seeds=${2:-10}
ops=${3:-100000}
out=${OUT:-/tmp/cursor-soak}
bin=$build/test_cursor_stress
if [[ -x "$build/layerace" ]] && "$build/layerace" cursor --help >/dev/null 2>&1; then
    bin="$build/layerace"
fi
start=$(date +%s)
mkdir -p "$out"
for seed in $(seq 1 "$seeds"); do
    # one summary line per seed: operations, compared ops/s, the oracle-only rate and the ratio;
    # on a divergence the whole report (its repro stays under $out/$seed)
    if ! "$bin" cursor --seed "$seed" --ops "$ops" --no-shrink --out "$out/$seed" >"$out/$seed.log" 2>&1; then
        cat "$out/$seed.log"
        exit 1
    fi
    grep "^seed " "$out/$seed.log"
    rm -rf "${out:?}/$seed" "$out/$seed.log"
done
echo "cursor soak: $seeds seeds x $ops operations in $(( $(date +%s) - start )) s, no divergence"
