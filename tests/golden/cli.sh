#!/usr/bin/env bash
# The ksim command as a user meets it: exit codes (0 ok, 1 bad input, 2 usage),
# --help on every command, list/version contents, and --set overrides.
. "$(dirname "$0")/lib.sh"

expect no-args 2 err "usage: ksim" -- "$ksim"
expect help 0 out "run +run a scenario" -- "$ksim" --help
expect unknown-cmd 2 err "^ksim: unknown command 'frobnicate'" -- "$ksim" frobnicate
for c in run validate list version plot diff report; do
  expect "help-$c" 0 out "^usage: ksim $c" -- "$ksim" "$c" --help
done
expect version 0 out "kubernetes semantics: v1\.33" -- "$ksim" version
expect list 0 out "first-fit +first node" -- "$ksim" list
expect run-missing-arg 2 err "^ksim run: missing SCENARIO" -- "$ksim" run
expect run-bad-option 2 err "^ksim run: unknown option '--frob'" -- "$ksim" run scenarios/quickstart.yaml --frob
expect run-bad-seed 2 err "--seed needs a non-negative integer" -- "$ksim" run scenarios/quickstart.yaml --seed -3
expect run-missing-file 1 err "^nope\.yaml: cannot open: No such file or directory$" -- "$ksim" run nope.yaml -o "$tmp/x"
[ -e "$tmp/x" ] && { echo "FAIL run-missing-file left a results folder"; fail=$((fail + 1)); }
expect validate-ok 0 out "^ok: scenarios/quickstart.yaml$" -- "$ksim" validate scenarios/quickstart.yaml

# --set: the override reaches the run, and gets the file's validation.
expect set-seed 0 out "results: $tmp/s/" -- "$ksim" run scenarios/quickstart.yaml -o "$tmp/s" --no-progress \
  --set spec.seed=9 --set spec.duration=30m
grep -Eq '"seed":\s+9,' "$tmp/s/summary.json" && grep -Eq '"simulated_seconds":\s+1800,' "$tmp/s/summary.json" \
  && pass=$((pass + 1)) || { echo "FAIL set-seed: summary does not show seed 9 / 1800 s"; fail=$((fail + 1)); }
expect set-count 0 out "" -- "$ksim" run scenarios/quickstart.yaml -o "$tmp/n" --no-progress \
  --set 'spec.cluster.nodePools[0].count=3' --set spec.duration=10m
grep -Eq '"at_end":\s+5$' "$tmp/n/summary.json" && pass=$((pass + 1)) \
  || { echo "FAIL set-count: expected 5 nodes (3 pool + 2 manifest)"; fail=$((fail + 1)); }
expect set-bad-value 1 err "^--set spec.seed:1:1: seed: expected an integer, got 'many'$" -- \
  "$ksim" run scenarios/quickstart.yaml -o "$tmp/b" --set spec.seed=many
expect set-bad-index 1 err "index 5 is out of range" -- \
  "$ksim" run scenarios/quickstart.yaml -o "$tmp/b" --set 'spec.cluster.nodePools[5].count=1'
expect set-unknown-key 1 err "unknown key 'sede' in spec \(did you mean 'seed'\?\)" -- \
  "$ksim" run scenarios/quickstart.yaml -o "$tmp/b" --set spec.sede=1
expect set-no-equals 2 err "--set needs PATH=VALUE" -- "$ksim" run scenarios/quickstart.yaml --set spec.seed
[ -e "$tmp/b" ] && { echo "FAIL: a failed --set run left a results folder"; fail=$((fail + 1)); }

echo "cli: $pass passed, $fail failed"
[ $fail -eq 0 ]
