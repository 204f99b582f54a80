#!/usr/bin/env bash
# A ksim sweep over many machines with GNU parallel (over ssh, no ksim daemon):
# one shard per host, each into its own folder, then one merged table.
#   scripts/scale-out/parallel-sweep.sh SWEEP.yaml OUTDIR [HOST...]
# With no hosts, the shards run here (one per core): the same recipe, testable.
# Every host needs this repository at the same path (or a shared file system)
# and a built ksim; with a shared file system the merge needs no copying.
set -euo pipefail
sweep="${1:?usage: parallel-sweep.sh SWEEP.yaml OUTDIR [HOST...]}"
out="${2:?missing OUTDIR}"
shift 2
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ksim="${KSIM:-$root/build/main/ksim}"
if [ $# -gt 0 ]; then
  n=$#
  hosts=$(printf ',1/%s' "$@")
  hosts="${hosts#,}"
  seq 0 $((n - 1)) | parallel --sshlogin "$hosts" --workdir "$PWD" \
    "$ksim" sweep "$sweep" --shard {}/$n -o "$out/shard-{}" -j 1 --no-plots
else
  n="$(nproc)"
  seq 0 $((n - 1)) | parallel -j "$n" "$ksim" sweep "$sweep" --shard {}/$n -o "$out/shard-{}" -j 1 --no-plots
fi
"$ksim" merge "$out"/shard-* -o "$out"
