#!/usr/bin/env bash
# ksim plan min-nodes gives up when more nodes of the pool cannot help: the
# probes at n, 2n and 4n nodes fail and no failing goal's worst value improves
# at either doubling (sim/cli/plan_min_nodes.c). Exit 1 and one stderr line,
# as for an unmet --max, and no results folder.
source "$(dirname "$0")/lib.sh"
small=tests/experiments/plan-small.yaml
check() { # name, expected, actual
  if [ "$2" != "$3" ]; then
    bad "$1"; echo "--- expected"; echo "$2"; echo "--- got"; echo "$3"
  else
    ok
  fi
}
stall() { # name, expected stdout, expected stderr, args...
  local name="$1" out="$2" err="$3"
  shift 3
  "$ksim" plan min-nodes "$@" -o "$tmp/$name" --no-plots >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  [ $rc -eq 1 ] && ok || bad "$name: exit $rc, want 1"
  check "$name stdout" "$out" "$(cat "$tmp/out")"
  check "$name stderr" "$err" "$(cat "$tmp/err")"
  [ ! -e "$tmp/$name" ] && ok || bad "$name: a results folder was left"
}

# plan-small's 9 app pods request 1500m; the system pool's nodes have 1 CPU,
# so however many there are the 9 stay pending (the 100m jobs fit anywhere):
# 1, 2 and 4 nodes all leave 9, and the search stops at the third probe.
stall system "nodes        met    seeds  pods.pending_at_end <= 0 (worst)
nodes-1      no     0/3                                  9
nodes-2      no     0/3                                  9
nodes-4      no     0/3                                  9" \
  "the goals are not met, and more nodes in pool 'system' do not help: no failing goal improved from 1 to 2 to 4 nodes (worst: pods.pending_at_end 9, 9, 9)" \
  "$small" --pool system

# The case that used to double to 262,144 nodes for 1.5 minutes: highmem's
# 8-CPU nodes never host the 12-CPU wide jobs, and under first-fit (pools in
# order small, large, highmem) the other jobs reach highmem last, so the wide
# jobs wait for the large nodes whatever highmem's count.
stall highmem "nodes        met    seeds  scheduling_latency_s.max <= 600 (worst)  pods.pending_at_end <= 0 (worst)
nodes-2      no     0/3                                 3613.04                                  7
nodes-4      no     0/3                                 3613.04                                  7
nodes-8      no     0/3                                 3613.04                                  7" \
  "the goals are not met, and more nodes in pool 'highmem' do not help: no failing goal improved from 2 to 4 to 8 nodes (worst: scheduling_latency_s.max 3613.04, 3613.04, 3613.04; pods.pending_at_end 7, 7, 7)" \
  scenarios/binpack-compare.yaml --pool highmem

# A failing goal that still improves keeps the search going: 1, 2 and 4
# workers all fail but leave 7, 5 and 1 pods pending; 8 meet the goal.
"$ksim" plan min-nodes "$small" --pool workers -o "$tmp/w" --no-plots >"$tmp/out" 2>"$tmp/err" || bad "workers: failed: $(cat "$tmp/err")"
check workers "nodes        met    seeds  pods.pending_at_end <= 0 (worst)
nodes-1      no     0/3                                  7
nodes-2      no     0/3                                  5
nodes-4      no     0/3                                  1
nodes-8      yes    3/3                                  0
nodes-6      yes    3/3                                  0
nodes-5      yes    3/3                                  0
min-nodes: 5 nodes in pool 'workers' meet the goals under all 3 seeds (6 probes)
results: $tmp/w/" "$(cat "$tmp/out")"

# With --max the rule is not used: the probe at --max decides, as before.
"$ksim" plan min-nodes "$small" --pool system --max 64 -o "$tmp/m" --no-plots >"$tmp/out" 2>"$tmp/err"
check "--max exit" 1 "$?"
check "--max stderr" "the goals are not met even with 64 nodes (--max)" "$(cat "$tmp/err")"

echo "plan_stall: $pass passed, $fail failed"
[ $fail -eq 0 ]
