#!/usr/bin/env bash
# ksim plan fit-count on hand-checked snapshots (tests/fitcount/*.yaml say the
# arithmetic), its JSON, and its errors.
set -u
ksim="$1"
cd "$(dirname "$0")/../.."
fail=0
check() { # name, expected, actual
  if [ "$2" != "$3" ]; then
    echo "FAIL: $1"; echo "--- expected"; echo "$2"; echo "--- got"; echo "$3"; fail=1
  fi
}
out="$("$ksim" plan fit-count tests/fitcount/two-nodes.yaml)"
check table "5 copies of pod default/web fit (the pod itself counts as the first)

  NODE    COPIES
  node-a       3
  node-b       2

the next copy fits nowhere: 0/2 nodes are available: 1 Insufficient cpu, 1 Too many pods." "$out"
out="$("$ksim" plan fit-count -o json tests/fitcount/two-nodes.yaml | tr -d '\t\n')"
check json '{"pod":"default/web","fits":5,"nodes":[{"name":"node-a","fits":3}, {"name":"node-b","fits":2}],"stoppedBy":"0/2 nodes are available: 1 Insufficient cpu, 1 Too many pods."}' "$out"
out="$("$ksim" plan fit-count --max 4 tests/fitcount/two-nodes.yaml | sed -n '1p;$p')"
check max "4 copies of pod default/web fit (the pod itself counts as the first)
stopped at --max 4 copies" "$out"
err="$("$ksim" plan fit-count tests/fitcount/missing.yaml 2>&1 >/dev/null)"; rc=$?
check missing-rc 1 "$rc"
check missing "tests/fitcount/missing.yaml: cannot open: No such file or directory" "$err"
"$ksim" plan fit-count --max 0 tests/fitcount/two-nodes.yaml >/dev/null 2>&1
check usage-rc 2 "$?"
[ $fail -eq 0 ] && echo "fit_count: all checks passed"
exit $fail
