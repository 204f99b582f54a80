#!/usr/bin/env bash
# scenarios/preemption.yaml end to end, every number worked by hand:
# filler-0..7 (priority 10, 1 core each) arrive at 1..8 s and alternate
# between the two 4-core nodes (LeastAllocated spreads them): n-1 holds
# filler-0, 2, 5, 6 (started 1, 3, 6, 7 s), n-0 filler-1, 3, 4, 7 (2, 4, 5, 8 s).
# At 60 s web-0 (priority 1000, 1.5 cores) fits nowhere. On either node the
# two earliest fillers are reprieved and the two latest are victims; the
# victims tie on priority, sum and count, and n-1 wins on the latest start
# of its earliest victim (6 s against 5 s). web-1 then sees web-0's 1.5 cores
# reserved on n-1: there 3 victims would be needed, on n-0 2, so it takes n-0
# (smaller sum of priorities). The four replacement fillers (priority 10)
# find no lower-priority pod: "No preemption victims found". At 90 s (the
# default 30 s grace period) the victims are gone and both web pods bind on
# their nominated nodes.
set -u
ksim="$1"
cd "$(dirname "$0")/../.."
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail=0
"$ksim" run scenarios/preemption.yaml -o "$tmp/a" --no-progress --no-plots >/dev/null || fail=1
ev="$tmp/a/events.jsonl"
expect() {
  if ! grep -qxF "$1" "$ev"; then
    echo "FAIL: events.jsonl lacks: $1"
    fail=1
  fi
}
NV='0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.'
expect '{"time_s":60,"type":"preempted","pod":"web-0","node":"n-1","priority":1000,"victims":[{"pod":"filler-5","priority":10},{"pod":"filler-6","priority":10}]}'
expect '{"time_s":60,"type":"unschedulable","pod":"web-0","message":"0/2 nodes are available: 2 Insufficient cpu."}'
expect '{"time_s":60,"type":"preempted","pod":"web-1","node":"n-0","priority":1000,"victims":[{"pod":"filler-4","priority":10},{"pod":"filler-7","priority":10}]}'
expect '{"time_s":60,"type":"unschedulable","pod":"filler-8","message":"'"$NV"'"}'
expect '{"time_s":60,"type":"unschedulable","pod":"filler-11","message":"'"$NV"'"}'
expect '{"time_s":90,"type":"scheduled","pod":"web-0","node":"n-1","latency_s":30}'
expect '{"time_s":90,"type":"scheduled","pod":"web-1","node":"n-0","latency_s":30}'
n=$(grep -c '"type":"preempted"' "$ev")
[ "$n" = 2 ] || { echo "FAIL: $n preempted events, want 2"; fail=1; }
grep -q '"preemptions":	2,' "$tmp/a/summary.json" || { echo "FAIL: summary preemptions"; fail=1; }
grep -q '"preemption_victims":	4' "$tmp/a/summary.json" || { echo "FAIL: summary victims"; fail=1; }
grep -q '"deleted":	4,' "$tmp/a/summary.json" || { echo "FAIL: 4 victims deleted"; fail=1; }
# The victims hold their cores until 90 s: cpu_requested_cores stays 8 (the
# nominated web pods only reserve) and is 2 fillers x 2 nodes + 2 x 1.5 = 7 after.
awk -F, 'NR > 1 && $1 == "60.000000" && $9 != "8.000" { exit 1 }' "$tmp/a/timeseries.csv" ||
  { echo "FAIL: requested cores at 60 s"; fail=1; }
awk -F, 'NR > 1 && $1 == "120.000000" && $9 != "7.000" { exit 1 }' "$tmp/a/timeseries.csv" ||
  { echo "FAIL: requested cores at 120 s"; fail=1; }
# A profile without DefaultPreemption never preempts.
"$ksim" run scenarios/preemption.yaml -o "$tmp/b" --no-progress --no-plots \
  --set 'spec.scheduler.config={apiVersion: kubescheduler.config.k8s.io/v1, kind: KubeSchedulerConfiguration, profiles: [{plugins: {postFilter: {disabled: [{name: DefaultPreemption}]}}}]}' \
  >/dev/null 2>"$tmp/err" || { echo "FAIL: run without DefaultPreemption"; cat "$tmp/err"; fail=1; }
if grep -q preempted "$tmp/b/events.jsonl" 2>/dev/null || grep -q 'preemption:' "$tmp/b/events.jsonl" 2>/dev/null; then
  echo "FAIL: a profile without DefaultPreemption preempted"; fail=1
fi
grep -q '"unschedulable","pod":"web-0","message":"0/2 nodes are available: 2 Insufficient cpu."' "$tmp/b/events.jsonl" ||
  { echo "FAIL: without DefaultPreemption web-0 should just be unschedulable"; fail=1; }
[ $fail -eq 0 ] && echo "preemption: ok"
exit $fail
