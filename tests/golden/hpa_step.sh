#!/usr/bin/env bash
# scenarios/hpa-step.yaml behaves as worked out by hand from the upstream
# controller (docs in the scenario and scenarios/README.md):
#   2 pods at 500m request, 5 ms CPU per request on 50m: 100 req/s is 60% CPU;
#   at 10m (600 s) the load steps to 400 req/s. The scrape at 600 s reports
#   the window 585-600 s (old load), so the first sync that sees the step is
#   615 s: 200% (capped at the 1-core limit) -> ceil(200/60 x 2) = 7, limited
#   by the legacy max(2 x 2, 4) = 4 (ScalingLimited ScaleUpLimit).
#   630 s: the two new pods are still starting (Ready 20 s after binding) and
#   count as unready at 0% on scale-up: 2000m / 2000m = 100% -> ceil(1.67 x 4)
#   = 7. 675 s: 7 pods at 67% (> 60% x 1.1) -> 8. Load drops at 40m (2400 s):
#   the proposal falls to 3 at 2415 s but the 5-minute downscale
#   stabilization holds 8 until 2715 s, never earlier than 2700 s.
set -u
ksim="$1"
cd "$(dirname "$0")/../.."
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$ksim" run scenarios/hpa-step.yaml -o "$tmp/r" --no-progress >/dev/null || { echo "FAIL: run"; exit 1; }
got="$(grep '"type":"scale"' "$tmp/r/events.jsonl" | sed -E 's/.*"time_s":([0-9.]+),.*"from":([0-9]+),"to":([0-9]+).*/\1 \2 \3/')"
want="615 2 4
630 4 7
675 7 8
2715 8 3"
fail=0
if [ "$got" != "$want" ]; then
  echo "FAIL: scale events"; echo "want:"; echo "$want"; echo "got:"; echo "$got"; fail=1
fi
limited="$(grep '"time_s":615,"type":"hpa_sync"' "$tmp/r/events.jsonl" | grep -o '"scalingLimitedReason":"[A-Za-z]*"')"
[ "$limited" = '"scalingLimitedReason":"ScaleUpLimit"' ] || { echo "FAIL: 615 s sync: $limited"; fail=1; }
stab="$(grep '"time_s":2415,"type":"hpa_sync"' "$tmp/r/events.jsonl" | grep -o '"metricReplicas":[0-9]*,"stabilizedReplicas":[0-9]*')"
[ "$stab" = '"metricReplicas":3,"stabilizedReplicas":8' ] || { echo "FAIL: 2415 s sync: $stab"; fail=1; }
# The timeseries columns the plots key on.
head -1 "$tmp/r/timeseries.csv" | tr , '\n' | grep -c '^web_\(hpa_desired\|replicas\|ready\|metric\|target\|offered_rps\|served_rps\|dropped_rps\|latency_p50_ms\|latency_p95_ms\)$' | grep -qx 10 ||
  { echo "FAIL: timeseries columns"; fail=1; }
[ $fail -eq 0 ] && echo "hpa-step: behaves as predicted"
exit $fail
