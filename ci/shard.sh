#!/usr/bin/env bash
# ci/shard.sh BASE I [--preset default|tsan|asan] [STRESS OPTIONS...] -- one seed shard: install
# what is missing, build the preset, then `layerace stress --seed $((BASE + I)) --fork` with the
# other options passed through (defaults otherwise: 60 s, 2 x cores schema threads, policy reject).
#
# N machines cover N seeds by running shard I = 0 .. N-1 with the same BASE (README.md, "Seed
# shards"); the GitHub Actions workflow does that with a matrix. Artefacts go to
# build/shards/seed-SEED/ (repro file, JSON report, crash note, the database if not clean).
# Exit status: that of layerace stress (0 clean, 1 violation or crash, 2 usage or environment).
set -euo pipefail

usage() {
    echo "usage: ci/shard.sh BASE I [--preset default|tsan|asan] [STRESS OPTIONS...]" >&2
    exit 2
}

(($# >= 2)) || usage
[[ $1 =~ ^[0-9]+$ && $2 =~ ^[0-9]+$ ]] || {
    echo "ci/shard.sh: BASE and I must be whole numbers, not '$1' '$2'" >&2
    usage
}
# 10#: a leading zero is not octal. The sum must stay a 63-bit shell integer.
((${#1} <= 18)) || {
    echo "ci/shard.sh: BASE '$1' is too large (at most 18 digits)" >&2
    usage
}
base=$((10#$1))
shard=$((10#$2))
seed=$((base + shard))
shift 2
preset=default
if (($# >= 2)) && [[ $1 == --preset ]]; then
    preset=$2
    shift 2
fi
case $preset in
default | tsan | asan) ;;
*) usage ;;
esac

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD

ci/setup.sh
ci/build.sh "$preset"

out=build/shards/seed-$seed
rm -rf "$out"
mkdir -p "$out"
LR_ROOT=$root
# shellcheck source=ci/sanitizers.env
. ci/sanitizers.env
TSAN_OPTIONS+=":log_path=$root/$out/tsan-report"
ASAN_OPTIONS+=":log_path=$root/$out/asan-report"
UBSAN_OPTIONS+=":log_path=$root/$out/ubsan-report"

echo "=== shard $shard of base $base: seed $seed, preset $preset"
rc=0
"build/$preset/layerace" stress --seed "$seed" --fork --quiet --out "$out" \
    --json "$out/report.json" "$@" || rc=$?
for r in "$out"/*-report.*; do
    [[ -e $r ]] || continue
    echo "--- sanitizer report $r"
    cat "$r"
    ((rc != 0)) || rc=1
done
echo "=== shard seed $seed: exit $rc (artefacts in $out)"
exit $rc
