#!/usr/bin/env bash
# `ksim load` end to end: exact CSV for a small hand-worked spec, determinism
# of random parts by seed, exit codes and one-line errors, and the example
# load files in scenarios/loads/ (those needing trace data only when the data
# directory is there).
set -u
ksim="$1"
cd "$(dirname "$0")/../.."
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail=0 pass=0
check() { # NAME CONDITION-RESULT(0 ok) MESSAGE
  if [ "$2" -eq 0 ]; then pass=$((pass + 1)); else echo "FAIL $1: $3"; fail=$((fail + 1)); fi
}

# step 10 → 20 at 1m, plus a ramp 0 → 4 over 2m: 10, 11, 22, 23, 24.
cat >"$tmp/a.yaml" <<'Y'
load:
  sum:
    - step: {steps: [{at: 0s, value: 10}, {at: 1m, value: 20}]}
    - ramp: {from: 0, to: 4, duration: 2m}
Y
"$ksim" load "$tmp/a.yaml" --to 2m --step 30s >"$tmp/out" 2>"$tmp/err"
printf 'time_s,rate\n0,10\n30,11\n60,22\n90,23\n120,24\n' >"$tmp/want"
cmp -s "$tmp/out" "$tmp/want"; check exact-csv $? "$(cat "$tmp/out" "$tmp/err")"
"$ksim" load "$tmp/a.yaml" --from 500ms --to 1s --step 250ms >"$tmp/out"
printf 'time_s,rate\n0.500000,10.0166667\n0.750000,10.025\n1,10.0333333\n' >"$tmp/want"
cmp -s "$tmp/out" "$tmp/want"; check fractional-times $? "$(cat "$tmp/out")"

# Random parts: the same seed gives the same bytes, another seed others.
"$ksim" load scenarios/loads/diurnal-noise.yaml --seed 7 --to 2h --step 15s >"$tmp/s7a"
"$ksim" load scenarios/loads/diurnal-noise.yaml --seed 7 --to 2h --step 15s >"$tmp/s7b"
"$ksim" load scenarios/loads/diurnal-noise.yaml --seed 8 --to 2h --step 15s >"$tmp/s8"
cmp -s "$tmp/s7a" "$tmp/s7b"; check same-seed $? "seed 7 gave different output twice"
! cmp -s "$tmp/s7a" "$tmp/s8"; check other-seed $? "seeds 7 and 8 gave the same output"
[ "$(wc -l <"$tmp/s7a")" -eq 482 ]; check rows $? "want 481 rows and a header"

# Errors: one line, exit 1; usage errors exit 2.
printf 'load: {diurnal: {mean: 1, amplitud: 2}}\n' >"$tmp/bad.yaml"
"$ksim" load "$tmp/bad.yaml" >"$tmp/out" 2>"$tmp/err"
rc=$?
want="$tmp/bad.yaml:1:27: unknown key 'amplitud' in load.diurnal (did you mean 'amplitude'?)"
[ $rc -eq 1 ] && [ "$(cat "$tmp/err")" = "$want" ] && [ ! -s "$tmp/out" ]
check bad-key $? "rc $rc: $(cat "$tmp/err")"
printf 'lod: 5\n' >"$tmp/bad2.yaml"
"$ksim" load "$tmp/bad2.yaml" 2>"$tmp/err" >/dev/null
rc=$?
want="$tmp/bad2.yaml:1:1: unknown key 'lod' in the top level (did you mean 'load'?)"
[ $rc -eq 1 ] && [ "$(cat "$tmp/err")" = "$want" ]; check bad-top $? "rc $rc: $(cat "$tmp/err")"
"$ksim" load "$tmp/missing.yaml" 2>"$tmp/err" >/dev/null
rc=$?
[ $rc -eq 1 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ]; check missing-file $? "rc $rc: $(cat "$tmp/err")"
"$ksim" load >/dev/null 2>&1
[ $? -eq 2 ]; check no-args $? "want exit 2"
"$ksim" load "$tmp/a.yaml" --step 0s >/dev/null 2>&1
[ $? -eq 2 ]; check zero-step $? "want exit 2"
"$ksim" load "$tmp/a.yaml" --frob >/dev/null 2>&1
[ $? -eq 2 ]; check bad-option $? "want exit 2"
"$ksim" load --help | grep -q '^usage: ksim load'; check help $? "no usage text"
"$ksim" list | grep -q '^  arrival-trace '; check list $? "ksim list shows no load models"

# Every example load file evaluates (trace examples need the data directory).
data="${KSIM_DATA_DIR:-../shared/data}"
for f in scenarios/loads/*.yaml; do
  if grep -q 'KSIM_DATA_DIR' "$f" && [ ! -d "$data/traces" ]; then
    echo "skip $f: no data directory at $data"
    continue
  fi
  KSIM_DATA_DIR="$data" "$ksim" load "$f" --step 10m >/dev/null 2>"$tmp/err"
  check "$f" $? "$(cat "$tmp/err")"
done

echo "load: $pass passed, $fail failed"
[ $fail -eq 0 ]
