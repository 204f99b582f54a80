#!/usr/bin/env bash
# Every bad input gets exactly one line "file:line:col: message" on stderr,
# exit code 1, and leaves no results folder (nor a temporary one) behind.
#
# Each case is tests/bad/<name>.yaml (or .bin) with the exact expected stderr
# line in tests/bad/<name>.expect. Cases that need extra arguments put them,
# one per line, in tests/bad/<name>.args. Run from the repository root.
set -u
ksim="$1"
cd "$(dirname "$0")/../.."
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail=0 pass=0
for expect in tests/bad/*.expect; do
  name="${expect%.expect}"
  input=""
  for ext in yaml bin json; do
    [ -e "$name.$ext" ] && input="$name.$ext"
  done
  [ -n "$input" ] || input="$name.missing.yaml"  # the missing-file case names a file that is not there
  args=()
  [ -f "$name.args" ] && mapfile -t args < "$name.args"
  out="$tmp/$(basename "$name")"
  # timeout: a hang is a failure, not a stuck CI job.
  timeout 20 "$ksim" run "$input" -o "$out" --no-progress "${args[@]}" >"$tmp/stdout" 2>"$tmp/stderr"
  rc=$?
  want="$(cat "$expect")"
  got="$(cat "$tmp/stderr")"
  lines=$(wc -l < "$tmp/stderr")
  leftovers=$(find "$tmp" -mindepth 1 -maxdepth 1 -name ".*" | wc -l)
  if [ $rc -ne 1 ] || [ "$got" != "$want" ] || [ "$lines" -ne 1 ] || [ -e "$out" ] || [ "$leftovers" -ne 0 ]; then
    echo "FAIL $input: exit $rc (want 1), $lines stderr line(s), results left: $([ -e "$out" ] && echo yes || echo no), temp left: $leftovers"
    echo "  want: $want"
    echo "  got:  $got"
    fail=$((fail + 1))
  else
    pass=$((pass + 1))
  fi
  # validate reports the same line.
  if [ -z "${args[*]:-}" ]; then
    timeout 20 "$ksim" validate "$input" >/dev/null 2>"$tmp/stderr"
    rc=$?
    if [ $rc -ne 1 ] || [ "$(cat "$tmp/stderr")" != "$want" ]; then
      echo "FAIL validate $input: exit $rc; got: $(cat "$tmp/stderr")"
      fail=$((fail + 1))
    else
      pass=$((pass + 1))
    fi
  fi
done
echo "bad inputs: $pass passed, $fail failed"
[ $fail -eq 0 ]
