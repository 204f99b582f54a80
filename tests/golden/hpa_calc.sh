#!/usr/bin/env bash
# ksim hpa-calc end to end on the snapshots in tests/cases/hpa-calc/<case>/:
#   input.yaml|input.json|input.bin  the objects (absent: a missing file)
#   args                             extra arguments, one line (e.g. --now ...)
#   expected.json                    exact stdout of -o json (exit 0, stderr empty)
#   expected.txt                     exact stdout of -o table, when present
#   expected.err                     exact one-line stderr of a bad input (exit 1, stdout empty)
#   README                           the upstream test the case is worked from
# Every good case runs twice: the output must be byte-identical. Usage errors
# exit 2. Run from the repository root.
set -u
ksim="$1"
cd "$(dirname "$0")/../.."
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail=0 pass=0

failed() {
  echo "FAIL $1"
  fail=$((fail + 1))
}

for dir in tests/cases/hpa-calc/*/; do
  name="$(basename "$dir")"
  input="${dir}nope.yaml"
  for f in "$dir"input.*; do
    [ -e "$f" ] && input="$f"
  done
  args=()
  [ -f "${dir}args" ] && read -r -a args < "${dir}args"
  if [ -f "${dir}expected.err" ]; then
    timeout 20 "$ksim" hpa-calc "${args[@]}" "$input" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if [ $rc -ne 1 ] || [ -s "$tmp/out" ] || ! cmp -s "$tmp/err" "${dir}expected.err"; then
      failed "$name: exit $rc (want 1), stdout $(wc -c <"$tmp/out") bytes; stderr: $(head -2 "$tmp/err")"
    else
      pass=$((pass + 1))
    fi
    continue
  fi
  for fmt in json txt; do
    [ -f "${dir}expected.$fmt" ] || continue
    o=json
    [ $fmt = txt ] && o=table
    for run in 1 2; do
      timeout 20 "$ksim" hpa-calc "${args[@]}" -o $o "$input" >"$tmp/out.$run" 2>"$tmp/err"
      rc=$?
      if [ $rc -ne 0 ] || [ -s "$tmp/err" ]; then
        failed "$name ($o, run $run): exit $rc; stderr: $(head -2 "$tmp/err")"
        continue 2
      fi
    done
    if ! cmp -s "$tmp/out.1" "$tmp/out.2"; then
      failed "$name ($o): two runs differ"
    elif ! cmp -s "$tmp/out.1" "${dir}expected.$fmt"; then
      failed "$name ($o): output differs from expected.$fmt:"
      diff "${dir}expected.$fmt" "$tmp/out.1" | head -20
    else
      pass=$((pass + 1))
    fi
  done
done

# expect_usage NAME PATTERN ARGS...: exit 2 and the message on stderr.
expect_usage() {
  local name="$1" pattern="$2"
  shift 2
  "$ksim" hpa-calc "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  if [ $rc -ne 2 ] || ! grep -Eq -- "$pattern" "$tmp/err"; then
    failed "usage $name: exit $rc (want 2); stderr: $(head -2 "$tmp/err")"
  else
    pass=$((pass + 1))
  fi
}
good=tests/cases/hpa-calc/scale-up-cpu/input.yaml
expect_usage no-file "^ksim hpa-calc: missing FILE" -o json
expect_usage bad-format "-o needs 'table' or 'json'" -o yaml "$good"
expect_usage bad-now "^ksim hpa-calc: --now: invalid timestamp '2024-13-01T00:00:00Z': month out of range" \
  --now 2024-13-01T00:00:00Z "$good"
expect_usage unknown-option "unknown option '--frob'" --frob "$good"
"$ksim" hpa-calc --help | grep -q "^usage: ksim hpa-calc" && pass=$((pass + 1)) || failed "--help"

echo "hpa-calc: $pass passed, $fail failed"
[ $fail -eq 0 ]
