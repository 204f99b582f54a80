#!/usr/bin/env bash
# Each committed reference output results/reference/<scenario>-<seed>/ is
# reproduced byte for byte by running scenarios/<scenario>.yaml with that seed.
# A difference means behaviour changed: if that was intended, regenerate with
# scripts/update-reference and explain the change in the commit.
# `ksim diff` checks the same folders first, and says what moved, by metric.
set -u
ksim="$1"
cd "$(dirname "$0")/../.."
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail=0 pass=0
for ref in results/reference/*/; do
  ref="${ref%/}"
  base="$(basename "$ref")"
  name="${base%-*}"
  seed="${base##*-}"
  if ! "$ksim" run "scenarios/$name.yaml" --seed "$seed" -o "$tmp/$base" --no-progress --no-plots >/dev/null; then
    echo "FAIL: scenarios/$name.yaml did not run"; fail=$((fail + 1)); continue
  fi
  if "$ksim" diff "$ref" "$tmp/$base" >"$tmp/diff.out" 2>&1; then
    pass=$((pass + 1))
  else
    echo "FAIL: ksim diff $ref against a fresh run:"
    tail -12 "$tmp/diff.out"
    fail=$((fail + 1))
  fi
  for f in summary.json timeseries.csv events.jsonl; do
    if cmp -s "$ref/$f" "$tmp/$base/$f"; then
      pass=$((pass + 1))
    else
      echo "FAIL: $ref/$f differs from a fresh run (first differences below)"
      diff "$ref/$f" "$tmp/$base/$f" | head -6
      fail=$((fail + 1))
    fi
  done
done
[ $((pass + fail)) -gt 0 ] || { echo "FAIL: no reference outputs found"; fail=1; }
echo "reference: $pass passed, $fail failed"
[ $fail -eq 0 ]
