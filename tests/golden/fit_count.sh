#!/usr/bin/env bash
# ksim plan fit-count on hand-checked snapshots (tests/fitcount/*.yaml say the
# arithmetic): the answer, the search copy by copy, each node's verdict on the
# next copy, the results folder (CSV, JSON, the chart) and its errors.
source "$(dirname "$0")/lib.sh"
check() { # name, expected, actual
  if [ "$2" != "$3" ]; then
    bad "$1"; echo "--- expected"; echo "$2"; echo "--- got"; echo "$3"
  else
    ok
  fi
}
two=tests/fitcount/two-nodes.yaml
# The copies alternate as NodeResourcesFit's LeastAllocated and
# BalancedAllocation prefer the emptier node (see the snapshot): b, a, b, a,
# then node-b is out of pod slots and the fifth goes to a.
out="$("$ksim" plan fit-count -o "$tmp/fc" "$two")"
check table "5 copies of pod default/web fit (the pod itself counts as the first)

   COPY  NODE    ON NODE
      1  node-b        1
      2  node-a        1
      3  node-b        2
      4  node-a        2
      5  node-a        3

  NODE    COPIES  THE NEXT COPY
  node-a       3  NodeResourcesFit: Insufficient cpu
  node-b       2  NodeResourcesFit: Too many pods

the next copy fits nowhere: 0/2 nodes are available: 1 Insufficient cpu, 1 Too many pods.
results: $tmp/fc/" "$out"
check placements.csv "copy,node,node_copies
1,node-b,1
2,node-a,1
3,node-b,2
4,node-a,2
5,node-a,3" "$(cat "$tmp/fc/fit-placements.csv")"
check nodes.csv "node,copies,next_copy
node-a,3,NodeResourcesFit
node-b,2,NodeResourcesFit" "$(cat "$tmp/fc/fit-nodes.csv")"
json='{"pod":"default/web","fits":5,"nodes":[{"name":"node-a","fits":3,"nextCopy":"NodeResourcesFit: Insufficient cpu"}, {"name":"node-b","fits":2,"nextCopy":"NodeResourcesFit: Too many pods"}],"placements":["node-b", "node-a", "node-b", "node-a", "node-a"],"stoppedBy":"0/2 nodes are available: 1 Insufficient cpu, 1 Too many pods."}'
check json-file "$json" "$(tr -d '\t\n' <"$tmp/fc/fit-count.json")"
out="$("$ksim" plan fit-count --format json -o "$tmp/fj" --no-plots "$two" | tr -d '\t\n')"
check json-stdout "$json" "$out"
[ -e "$tmp/fj/plots" ] && bad "--no-plots drew plots" || ok
# Same input and seed, same bytes.
"$ksim" plan fit-count -o "$tmp/fc2" "$two" >/dev/null
for f in fit-placements.csv fit-nodes.csv fit-count.json; do
  cmp -s "$tmp/fc/$f" "$tmp/fc2/$f" && ok || bad "$f differs between two runs"
done
# The chart: a bar per node, 3 copies on the left, 2 on the right, so the
# bars' pixels (#4e79a7) stand 3:2 between the halves of the picture.
if command -v gnuplot >/dev/null; then
  [ -s "$tmp/fc/plots/plan.svg" ] && ok || bad "no plots/plan.svg"
  printf "set table '%s'\nplot '%s' binary filetype=png with rgbalpha\nunset table\n" \
    "$tmp/px.txt" "$tmp/fc/plots/plan.png" >"$tmp/px.gp"
  gnuplot -d "$tmp/px.gp" </dev/null 2>/dev/null
  ratio="$(awk '$3 == 78 && $4 == 121 && $5 == 167 { if ($1 < 350) l++; else r++ }
    END { if (r) printf "%.1f", l / r }' "$tmp/px.txt")"
  check bar-ratio 1.5 "$ratio"
else
  echo "note: gnuplot not installed; the fit-count chart is not checked"
fi
# --max stops the search first; the next copy still fits on node-a, and the
# verdicts say so. With every copy shown, the step table has 4 rows.
out="$("$ksim" plan fit-count --max 4 -o "$tmp/fm" --no-plots "$two")"
check max "4 copies of pod default/web fit (the pod itself counts as the first)
  node-a       2  fits
  node-b       2  NodeResourcesFit: Too many pods
stopped at --max 4 copies" "$(printf '%s\n' "$out" | sed -n '1p;/^  node-[ab]  /p;/^stopped/p')"
# More copies than the table shows: the rest are in the CSV.
"$ksim" plan fit-count -o "$tmp/big" --no-plots tests/fitcount/many.yaml >"$tmp/big.out"
check many-answer "30 copies of pod default/small fit (the pod itself counts as the first)" "$(head -1 "$tmp/big.out")"
check many-rest "  (10 more in $tmp/big/fit-placements.csv)" "$(grep more "$tmp/big.out")"
check many-csv 31 "$(wc -l <"$tmp/big/fit-placements.csv" | tr -d ' ')"
# Errors: one line, exit 1, no folder; usage errors exit 2.
err="$("$ksim" plan fit-count -o "$tmp/miss" tests/fitcount/missing.yaml 2>&1 >/dev/null)"; rc=$?
check missing-rc 1 "$rc"
check missing "tests/fitcount/missing.yaml: cannot open: No such file or directory" "$err"
[ -e "$tmp/miss" ] && bad "a failed fit-count left its folder" || ok
"$ksim" plan fit-count --max 0 "$two" >/dev/null 2>&1
check usage-max 2 "$?"
err="$("$ksim" plan fit-count --format yaml "$two" 2>&1)"; rc=$?
check usage-format "2 ksim plan fit-count: --format needs 'table' or 'json', got 'yaml' (see 'ksim plan fit-count --help')" "$rc $err"
err="$("$ksim" plan fit-count --seed -1 "$two" 2>&1)"; rc=$?
check usage-seed "2 ksim plan fit-count: --seed needs a non-negative integer, got '-1' (see 'ksim plan fit-count --help')" "$rc $err"
err="$("$ksim" score --seed -1 "$two" 2>&1)"; rc=$?
check score-usage-seed "2 ksim score: --seed needs a non-negative integer, got '-1' (see 'ksim score --help')" "$rc $err"
err="$("$ksim" plan fit-count -o "$tmp/x" 2>&1)"; rc=$?
check usage-files "2 ksim plan fit-count: missing FILE (Nodes and Pods, e.g. kubectl get nodes,pods -A -o yaml) (see 'ksim plan fit-count --help')" "$rc $err"
# `--` ends the options in both commands that read snapshots.
"$ksim" plan fit-count -o "$tmp/dd" --no-plots -- "$two" >/dev/null && ok || bad "fit-count --"
echo "fit_count: $pass passed, $fail failed"
[ $fail -eq 0 ]
