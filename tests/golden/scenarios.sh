#!/usr/bin/env bash
# Every scenario in scenarios/ validates and runs, writing the four result files;
# every sweep there runs its first point.
set -u
ksim="$1"
cd "$(dirname "$0")/../.."
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail=0 pass=0
data="${KSIM_DATA_DIR:-../shared/data}"
for s in scenarios/*.yaml; do
  name="$(basename "$s" .yaml)"
  # Trace replays need the data folder, which a bare checkout may not have.
  if grep -q 'KSIM_DATA_DIR' "$s" && [ ! -d "$data/traces" ] && [ -z "${KSIM_DATA_DIR:-}" ]; then
    echo "skip $s: no data directory at $data"
    continue
  fi
  # A Sweep file: its first point runs (shard 0 of a million is point 0 alone).
  if grep -q '^kind: Sweep' "$s"; then
    if "$ksim" sweep "$s" --shard 0/1000000 -o "$tmp/$name" --no-plots >/dev/null &&
      [ -s "$tmp/$name/points/0000/point.json" ]; then
      pass=$((pass + 1))
    else
      echo "FAIL: sweep $s does not run its first point"; fail=$((fail + 1))
    fi
    continue
  fi
  if ! "$ksim" validate "$s" >/dev/null; then
    echo "FAIL: $s does not validate"; fail=$((fail + 1)); continue
  fi
  if ! "$ksim" run "$s" -o "$tmp/$name" --no-progress >/dev/null; then
    echo "FAIL: $s does not run"; fail=$((fail + 1)); continue
  fi
  ok=1
  for f in summary.json timeseries.csv events.jsonl run.json; do
    [ -s "$tmp/$name/$f" ] || { echo "FAIL: $s wrote no $f"; ok=0; }
  done
  if [ $ok -eq 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done
echo "scenarios: $pass passed, $fail failed"
[ $fail -eq 0 ]
