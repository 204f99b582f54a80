#!/usr/bin/env bash
# `ksim score` end to end: each tests/score/<case>/ holds the input manifests
# (*.yaml, *.json), an optional `args` file (extra arguments, one per line;
# paths relative to the case folder) and either
#   expected.json  the exact answer of `ksim score -o json` (exit 0), compared
#                  after removing whitespace outside JSON strings, so the file
#                  may be laid out for people; or
#   expected.err   the exact stderr line of a rejected input (exit 1, nothing
#                  on stdout).
# The input files are passed in name order; a `config/` subfolder is never
# passed implicitly (name it in args with --config). README.md says which
# upstream test or formula each case was derived from. Every accepted case
# also runs with -o table (exit 0) and twice with the same seed (same bytes).
set -u
ksim="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
cd "$(dirname "$0")"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail=0 pass=0

# Drops whitespace outside JSON strings (escapes inside strings are kept).
squeeze() {
  awk 'BEGIN { RS = "\001" } {
    out = ""; ins = 0; esc = 0
    n = length($0)
    for (i = 1; i <= n; i++) {
      ch = substr($0, i, 1)
      if (ins) {
        out = out ch
        if (esc) esc = 0
        else if (ch == "\\") esc = 1
        else if (ch == "\"") ins = 0
      } else if (ch == "\"") { out = out ch; ins = 1 }
      else if (ch != " " && ch != "\t" && ch != "\n" && ch != "\r") out = out ch
    }
    print out
  }' "$1"
}

for dir in */; do
  case="${dir%/}"
  files=()
  for f in "$case"/*.yaml "$case"/*.json; do
    [ -e "$f" ] || continue
    [ "$(basename "$f")" = expected.json ] && continue
    files+=("$f")
  done
  args=()
  if [ -f "$case/args" ]; then
    while IFS= read -r a; do
      [ -e "$case/$a" ] && a="$case/$a"
      args+=("$a")
    done <"$case/args"
  fi
  timeout 20 "$ksim" score -o json "${args[@]}" "${files[@]}" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  if [ -f "$case/expected.err" ]; then
    want="$(cat "$case/expected.err")"
    got="$(cat "$tmp/err")"
    if [ $rc -ne 1 ] || [ "$got" != "$want" ] || [ -s "$tmp/out" ]; then
      echo "FAIL $case: exit $rc (want 1)"
      echo "  want: $want"
      echo "  got:  $got"
      fail=$((fail + 1))
    else
      pass=$((pass + 1))
    fi
    continue
  fi
  if [ $rc -ne 0 ] || [ "$(squeeze "$tmp/out")" != "$(squeeze "$case/expected.json")" ]; then
    echo "FAIL $case: exit $rc; stderr: $(head -2 "$tmp/err")"
    diff <(squeeze "$case/expected.json" | sed 's/},{/},\n{/g') \
      <(squeeze "$tmp/out" | sed 's/},{/},\n{/g') | head -20
    fail=$((fail + 1))
    continue
  fi
  timeout 20 "$ksim" score -o json "${args[@]}" "${files[@]}" >"$tmp/again" 2>/dev/null
  timeout 20 "$ksim" score -o table "${args[@]}" "${files[@]}" >"$tmp/table" 2>"$tmp/err"
  trc=$?
  if ! cmp -s "$tmp/out" "$tmp/again" || [ $trc -ne 0 ] || [ -s "$tmp/err" ]; then
    echo "FAIL $case: second run differs, or -o table exits $trc"
    fail=$((fail + 1))
  else
    pass=$((pass + 1))
  fi
done

echo "score: $pass passed, $fail failed"
[ $fail -eq 0 ]
