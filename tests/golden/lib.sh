# Sourced by the whole-program tests: run from the repository root with the
# ksim binary as $1; a scratch folder $tmp removed on exit; pass/fail counters.
set -u
# Absolute, so that a test may run it from another folder.
ksim="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail=0 pass=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }

# expect NAME RC STREAM PATTERN -- CMD...   (STREAM: out|err; PATTERN: grep -E, or "" for none)
expect() {
  local name="$1" want_rc="$2" stream="$3" pattern="$4"
  shift 5
  "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  if [ $rc -ne "$want_rc" ]; then
    bad "$name: exit $rc, want $want_rc; stderr: $(head -3 "$tmp/err")"
  elif [ -n "$pattern" ] && ! grep -Eq -- "$pattern" "$tmp/$stream"; then
    bad "$name: std$stream does not match /$pattern/: $(head -5 "$tmp/$stream")"
  else
    ok
  fi
}

# pixels PNG R G B: how many pixels of that colour, every second pixel each
# way, decoded by gnuplot (which ksim needs anyway) instead of an image tool.
pixels() {
  printf "set table '%s'\nplot '%s' binary filetype=png every 2:2 with rgbalpha\nunset table\n" \
    "$tmp/px.txt" "$1" >"$tmp/px.gp"
  gnuplot -d "$tmp/px.gp" </dev/null 2>/dev/null
  awk -v r="$2" -v g="$3" -v b="$4" '$3 == r && $4 == g && $5 == b { n++ } END { print n + 0 }' "$tmp/px.txt"
}
