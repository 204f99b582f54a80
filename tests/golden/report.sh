#!/usr/bin/env bash
# ksim report: the page is self-contained (no URL anywhere), holds every chart
# byte for byte, the summary, the scenario and run.json; and, rendered by
# headless Chromium, its screenshot shows the charts' lines. The pixels are
# counted in a PNG decoded by gnuplot, which ksim needs anyway. Without
# Chromium the rendering check is SKIPPED, loudly, with ctest's skip code 77.
. "$(dirname "$0")/lib.sh"

"$ksim" run scenarios/quickstart.yaml -o "$tmp/run" --no-progress --set spec.duration=3h >/dev/null || bad "run failed"
out="$("$ksim" report "$tmp/run" 2>"$tmp/err")" && ok || bad "report failed: $(cat "$tmp/err")"
[ "$out" = "report: $tmp/run/report.html" ] && ok || bad "report said '$out'"
[ -s "$tmp/err" ] && bad "report printed on stderr: $(cat "$tmp/err")"
html="$tmp/run/report.html"
# Self-contained: nothing the browser would fetch.
grep -Eo '(src|href)="[^"]{0,30}' "$html" | grep -v '^src="data:image/svg+xml;base64,' >"$tmp/refs"
[ -s "$tmp/refs" ] && bad "report refers outside itself: $(head -3 "$tmp/refs")" || ok
grep -Eq 'https?://' "$html" && bad "report contains a URL: $(grep -Eo 'https?://[^ "]*' "$html" | head -1)" || ok
# Every chart, in reading order, each the very bytes of plots/<chart>.svg.
charts="$(grep -o '<img alt="[^"]*"' "$html" | sed 's/<img alt="//; s/"$//' | tr '\n' ' ')"
[ "$charts" = "deployment-api deployment-web pending allocation nodes " ] && ok || bad "charts in page: '$charts'"
grep -o 'alt="pending" src="data:image/svg+xml;base64,[^"]*' "$html" | sed 's/.*base64,//' | base64 -d >"$tmp/pending.svg"
cmp -s "$tmp/pending.svg" "$tmp/run/plots/pending.svg" && ok || bad "the inlined pending chart differs from plots/pending.svg"
# The summary, the scenario as it ran (--set applied), run.json.
grep -q '<tr><th>pods.created</th><td>388</td></tr>' "$html" && ok || bad "summary table lacks pods.created = 388"
grep -q '^  duration: 3h$' "$html" && ok || bad "scenario lacks the --set duration"
grep -q -- '--set spec.duration=3h' "$html" && ok || bad "scenario header lacks the override"
grep -q '<tr><th>wall_seconds</th>' "$html" && ok || bad "run.json facts missing"

# A comparison folder: its table and a chart per metric.
mkdir -p "$tmp/cmp"
printf 'policy,metric,runs,mean,stddev,ci95_low,ci95_high\nfirst-fit,pods.pending_at_end,10,12.5,3.1,10.2,14.8\nbest-fit,pods.pending_at_end,10,8.5,2.1,7,10\n' >"$tmp/cmp/comparison.csv"
"$ksim" report "$tmp/cmp" >/dev/null 2>&1 && ok || bad "report on a comparison folder failed"
grep -q '<td>best-fit</td><td>pods.pending_at_end</td><td>10</td><td>8.5</td>' "$tmp/cmp/report.html" && ok || bad "comparison table missing"
[ "$(grep -c '<img alt="comparison-pods.pending_at_end"' "$tmp/cmp/report.html")" -eq 1 ] && ok || bad "comparison chart missing"

# No gnuplot and no plots yet: a page without charts, one warning line.
"$ksim" run scenarios/quickstart.yaml -o "$tmp/bare" --no-progress --no-plots --set spec.duration=3h >/dev/null
KSIM_GNUPLOT=/nonexistent/gnuplot "$ksim" report "$tmp/bare" >/dev/null 2>"$tmp/err" && ok || bad "report without gnuplot failed"
[ "$(cat "$tmp/err")" = "ksim report: warning: gnuplot is not installed; no charts" ] && ok || bad "warning was '$(cat "$tmp/err")'"
grep -q 'No charts: cannot run /nonexistent/gnuplot' "$tmp/bare/report.html" && ok || bad "page does not say why it has no charts"

# Errors: one line, exit 1, no report left; usage: exit 2.
"$ksim" report "$tmp/nope" >/dev/null 2>"$tmp/err"
[ $? -eq 1 ] && [ "$(cat "$tmp/err")" = "$tmp/nope: cannot open: No such file or directory" ] && ok || bad "missing folder: $(cat "$tmp/err")"
mkdir -p "$tmp/empty"
"$ksim" report "$tmp/empty" >/dev/null 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "^$tmp/empty: nothing to plot" "$tmp/err" && [ ! -e "$tmp/empty/report.html" ] && ok || bad "empty folder: $(cat "$tmp/err")"
mkdir -p "$tmp/badjson/plots"
echo '{"a": ' >"$tmp/badjson/summary.json"
"$ksim" report "$tmp/badjson" >/dev/null 2>"$tmp/err"
[ $? -eq 1 ] && [ "$(cat "$tmp/err")" = "$tmp/badjson/summary.json:2:1: not valid JSON" ] && [ -z "$(ls -A "$tmp/badjson" | grep -v plots | grep -v summary.json)" ] && ok || bad "bad summary.json: $(cat "$tmp/err")"
"$ksim" report >/dev/null 2>&1
[ $? -eq 2 ] && ok || bad "no arguments is not a usage error"

# Rendering: what a person opening the page sees.
# KSIM_CHROMIUM names the browser; set it empty to skip this part.
browser="${KSIM_CHROMIUM-$(command -v chromium || command -v chromium-browser || true)}"
if [ -z "$browser" ]; then
  echo "report: $pass passed, $fail failed"
  echo "*** SKIPPED: report rendering check: chromium is not installed (KSIM_SETUP_EXTRA=report scripts/setup installs it) ***"
  [ $fail -eq 0 ] && exit 77
  exit 1
fi
shot() {
  "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
    --user-data-dir="$tmp/profile" --window-size=1000,3200 --screenshot="$2" "file://$1" >/dev/null 2>&1
  [ -s "$2" ] || bad "chromium wrote no screenshot of $1"
}
shot "$tmp/run/report.html" "$tmp/charts.png"
shot "$tmp/bare/report.html" "$tmp/bare.png"
# #1f77b4 (31,119,180) is the colour of the Deployment charts' "desired" line,
# the allocation chart's CPU line and the pending chart's mean latency: the
# 3200 px tall screenshot shows all of them (457 of the sampled pixels when
# this was written); the page without charts has none.
n="$(pixels "$tmp/charts.png" 31 119 180)"
[ "$n" -gt 200 ] && ok || bad "screenshot with charts: $n sampled pixels of #1f77b4, want > 200"
n="$(pixels "$tmp/bare.png" 31 119 180)"
[ "$n" -eq 0 ] && ok || bad "screenshot without charts: $n sampled pixels of #1f77b4, want 0"
echo "report: $pass passed, $fail failed"
[ $fail -eq 0 ]
