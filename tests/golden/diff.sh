#!/usr/bin/env bash
# ksim diff as CI uses it: exit 0 when two folders agree within tolerances,
# 1 with what moved when they do not, 1 with one line for a bad folder, 2 for
# usage errors.
. "$(dirname "$0")/lib.sh"

"$ksim" run scenarios/quickstart.yaml -o "$tmp/a" --no-progress --no-plots >/dev/null
"$ksim" run scenarios/quickstart.yaml -o "$tmp/b" --no-progress --no-plots >/dev/null
expect same 0 out "^no differences beyond tolerance between $tmp/a and $tmp/b$" -- "$ksim" diff "$tmp/a" "$tmp/b"

# One summary value moved by 10%: a difference, unless its tolerance allows it.
cp -r "$tmp/a" "$tmp/c"
sed -i 's/"peak_pending":\t13,/"peak_pending":\t14.3,/' "$tmp/c/summary.json"
expect moved 1 out "^summary.json pods.peak_pending: 13 -> 14.3 \(\+10%\)$" -- "$ksim" diff "$tmp/a" "$tmp/c"
expect moved-count 1 out "^1 difference beyond tolerance" -- "$ksim" diff "$tmp/a" "$tmp/c"
expect tolerated 0 out "^no differences" -- "$ksim" diff "$tmp/a" "$tmp/c" --tolerance pods.peak_pending=0.1
expect glob 0 out "^no differences" -- "$ksim" diff "$tmp/a" "$tmp/c" --tolerance 'pods.*=0.1'
expect too-tight 1 out "peak_pending" -- "$ksim" diff "$tmp/a" "$tmp/c" --tolerance pods.peak_pending=0.09
expect default 0 out "^no differences" -- "$ksim" diff "$tmp/a" "$tmp/c" --default-tolerance 0.1
expect last-wins 1 out "peak_pending" -- "$ksim" diff "$tmp/a" "$tmp/c" --tolerance 'pods.*=0.5' --tolerance pods.peak_pending=0

# A time series cell, a dropped column, a dropped row.
cp -r "$tmp/a" "$tmp/d"
sed -i '3s/^60.000000,12,/60.000000,13,/' "$tmp/d/timeseries.csv"
expect cell 1 out "^timeseries.csv nodes at time_s=60.000000: 12 -> 13 \(\+8.33%\)$" -- "$ksim" diff "$tmp/a" "$tmp/d"
cp -r "$tmp/a" "$tmp/e"
cut -d, -f1-20 "$tmp/a/timeseries.csv" >"$tmp/e/timeseries.csv"
expect column 1 out "^timeseries.csv column web_ready: in A, missing in B$" -- "$ksim" diff "$tmp/a" "$tmp/e"
cp -r "$tmp/a" "$tmp/f"
sed -i '$d' "$tmp/f/timeseries.csv"
expect rows 1 out "^timeseries.csv rows: 361 in A, 360 in B$" -- "$ksim" diff "$tmp/a" "$tmp/f"
# Another seed moves a lot; the count line says how much.
"$ksim" run scenarios/quickstart.yaml -o "$tmp/s7" --seed 7 --no-progress --no-plots >/dev/null
expect seed 1 out "^[0-9]+ differences beyond tolerance" -- "$ksim" diff "$tmp/a" "$tmp/s7"

# The scenario.yaml a run saves (--set and --seed applied) runs again to the same results.
"$ksim" run scenarios/quickstart.yaml -o "$tmp/set" --seed 5 --set spec.duration=2h --set 'spec.cluster.nodePools[0].count=6' \
  --no-progress --no-plots >/dev/null
mkdir -p "$tmp/again" && cp "$tmp/set/scenario.yaml" "$tmp/again/" && cp -r scenarios/manifests "$tmp/again/"
"$ksim" run "$tmp/again/scenario.yaml" -o "$tmp/again/out" --no-progress --no-plots >/dev/null
expect saved-scenario 0 out "^no differences" -- "$ksim" diff "$tmp/set" "$tmp/again/out"
cmp -s "$tmp/set/events.jsonl" "$tmp/again/out/events.jsonl" && pass=$((pass + 1)) \
  || { echo "FAIL saved-scenario: events.jsonl differs"; fail=$((fail + 1)); }
grep -qx '# with these overrides applied below: --set spec.duration=2h --set spec.cluster.nodePools\[0\].count=6' "$tmp/set/scenario.yaml" \
  && grep -qx '  seed: 5' "$tmp/set/scenario.yaml" && pass=$((pass + 1)) \
  || { echo "FAIL saved-scenario: header or seed missing"; head -5 "$tmp/set/scenario.yaml"; fail=$((fail + 1)); }

# Bad folders: one line on stderr, exit 1.
expect missing 1 err "^$tmp/nope: cannot open: No such file or directory$" -- "$ksim" diff "$tmp/a" "$tmp/nope"
mkdir -p "$tmp/empty"
expect no-summary 1 err "^$tmp/empty/summary.json: cannot open: No such file or directory$" -- "$ksim" diff "$tmp/empty" "$tmp/a"
cp -r "$tmp/a" "$tmp/g"
printf '{\n  "pods": [1,\n' >"$tmp/g/summary.json"
expect bad-json 1 err "^$tmp/g/summary.json:3:1: not valid JSON$" -- "$ksim" diff "$tmp/a" "$tmp/g"
cp -r "$tmp/a" "$tmp/h"
printf 'time_s,nodes\n0\n' >"$tmp/h/timeseries.csv"
expect bad-csv 1 err "^$tmp/h/timeseries.csv:2:1: row has 1 fields, the header has 2$" -- "$ksim" diff "$tmp/a" "$tmp/h"
for t in err; do [ "$(wc -l <"$tmp/$t")" -eq 1 ] || { echo "FAIL bad-csv printed more than one line"; fail=$((fail + 1)); }; done

# Usage errors: exit 2.
expect one-dir 2 err "^ksim diff: needs two results folders" -- "$ksim" diff "$tmp/a"
expect three-dirs 2 err "^ksim diff: two folders at a time" -- "$ksim" diff "$tmp/a" "$tmp/b" "$tmp/c"
expect bad-tol 2 err "^ksim diff: --tolerance needs METRIC=REL" -- "$ksim" diff "$tmp/a" "$tmp/b" --tolerance x=-1
expect bad-tol-form 2 err "^ksim diff: --tolerance needs METRIC=REL" -- "$ksim" diff "$tmp/a" "$tmp/b" --tolerance x
expect bad-default 2 err "^ksim diff: --default-tolerance needs a number" -- "$ksim" diff "$tmp/a" "$tmp/b" --default-tolerance lots
expect bad-option 2 err "^ksim diff: unknown option '--frob'" -- "$ksim" diff "$tmp/a" "$tmp/b" --frob

echo "diff: $pass passed, $fail failed"
[ $fail -eq 0 ]
