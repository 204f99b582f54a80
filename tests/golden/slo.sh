#!/usr/bin/env bash
# SLO minutes over offered requests, a dropped request counting as a failed
# one (models/usage/usage.h: p95_offered), on tests/experiments/slo-drop.yaml
# whose figures are worked by hand in its header comment.
source "$(dirname "$0")/lib.sh"
s=tests/experiments/slo-drop.yaml
field() { grep -o "\"$2\":[[:space:]]*[0-9.]*" "$1/summary.json" | grep -o '[0-9.]*$'; }
check() { # name, expected, actual
  [ "$2" = "$3" ] && ok || bad "$1: expected $2, got $3"
}
run() { # folder, load
  "$ksim" run "$s" --set "spec.traffic[0].load=$2" -o "$tmp/$1" --no-plots --no-progress >/dev/null ||
    bad "run at load $2"
}
# 5.2 req/s: served p95 599 ms < 700 ms, offered p95 885 ms > 700 ms on every tick.
run over 5.2
check "5.2 req/s dropped" 195 "$(field "$tmp/over" dropped_requests)"
check "5.2 req/s served p95" 599.146 "$(field "$tmp/over" latency_p95_ms)"
check "5.2 req/s saturated" 15 "$(field "$tmp/over" saturated_seconds)"
check "5.2 req/s SLO minutes" 10 "$(field "$tmp/over" slo_violation_minutes)"
# 5.02 req/s: 0.4% dropped, offered p95 615 ms: only the tick before the pod is Ready.
run under 5.02
check "5.02 req/s served p95" 599.146 "$(field "$tmp/under" latency_p95_ms)"
check "5.02 req/s SLO minutes" 0.25 "$(field "$tmp/under" slo_violation_minutes)"
# 6 req/s: a sixth dropped, more than 5%: no p95 over offered requests at all.
run six 6
check "6 req/s SLO minutes" 10 "$(field "$tmp/six" slo_violation_minutes)"
echo "slo: $pass passed, $fail failed"
[ $fail -eq 0 ]
