#!/usr/bin/env bash
# ksim plot and the plots of ksim run: which charts a folder gets (by the files
# and columns it has), that they are real PNG/SVG pictures with the bars and
# lines in them, that the deterministic files are untouched, and the errors:
# no gnuplot (a warning for run, an error for plot), bad folders, bad CSV.
. "$(dirname "$0")/lib.sh"

# A run folder: every chart, both formats, and the three files unchanged.
"$ksim" run scenarios/quickstart.yaml -o "$tmp/run" --no-progress >/dev/null 2>"$tmp/err" || bad "run failed"
[ -s "$tmp/err" ] && bad "run printed on stderr: $(head -1 "$tmp/err")"
want="allocation.png allocation.svg deployment-api.png deployment-api.svg deployment-web.png deployment-web.svg nodes.png nodes.svg pending.png pending.svg"
got="$(cd "$tmp/run/plots" 2>/dev/null && ls | tr '\n' ' ' | sed 's/ $//')"
[ "$got" = "$want" ] && ok || bad "run plots: got '$got', want '$want'"
for f in "$tmp"/run/plots/*.png; do
  [ "$(head -c 8 "$f" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] || bad "$f is not a PNG"
done
for f in "$tmp"/run/plots/*.svg; do grep -q '<svg' "$f" || bad "$f is not an SVG"; done
# The nodes line is #8c564b (140,86,75); anti-aliasing leaves the exact colour
# on the line's middle only: 80 of the sampled pixels when this was written.
n="$(pixels "$tmp/run/plots/nodes.png" 140 86 75)"
[ "$n" -gt 40 ] && ok || bad "nodes.png has $n sampled pixels of the line's colour, want > 40"
"$ksim" run scenarios/quickstart.yaml -o "$tmp/plain" --no-progress --no-plots >/dev/null || bad "run --no-plots failed"
[ -e "$tmp/plain/plots" ] && bad "--no-plots drew plots" || ok
for f in summary.json timeseries.csv events.jsonl; do
  cmp -s "$tmp/run/$f" "$tmp/plain/$f" && ok || bad "$f differs with plots drawn"
done
# Replotting replaces the folder whole and leaves no temporary files.
"$ksim" plot "$tmp/run" >"$tmp/out" || bad "ksim plot on a run folder failed"
grep -qx "plots: $tmp/run/plots/" "$tmp/out" && ok || bad "ksim plot said: $(cat "$tmp/out")"
[ "$(find "$tmp/run" -name '.*' | wc -l)" -eq 0 ] && ok || bad "temporary files left: $(find "$tmp/run" -name '.*')"

# Only the charts whose columns exist: nodes alone. Run from / to show that
# the scripts are built into ksim, not read from the source tree.
mkdir -p "$tmp/few"
printf 'time_s,nodes\n0,3\n60,4\n120,2\n' >"$tmp/few/timeseries.csv"
(cd / && "$ksim" plot "$tmp/few" >/dev/null) || bad "ksim plot on a two-column folder failed"
got="$(ls "$tmp/few/plots" | tr '\n' ' ')"
[ "$got" = "nodes.png nodes.svg " ] && ok || bad "two-column folder got '$got'"

# HPA and load columns (as the autoscaling issue writes them) add to the
# Deployment chart: a load panel (the PNG grows from 380 to 640 px high, read
# from its IHDR) with the offered line's #9467bd, and usage lines in allocation.
png_height() { od -An -tu1 -j20 -N4 "$1" | awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }'; }
mkdir -p "$tmp/hpa"
{
  echo "time_s,web_desired,web_replicas,web_ready,web_hpa_desired,web_offered_rps,web_served_rps,cpu_alloc_ratio,mem_alloc_ratio,cpu_allocatable_cores,mem_allocatable_gib,cpu_usage_cores,mem_usage_gib"
  for t in 0 60 120 180 240 300; do echo "$t,2,2,2,3,$((100 + t)),100,0.5,0.4,10,40,3,10"; done
} >"$tmp/hpa/timeseries.csv"
"$ksim" plot "$tmp/hpa" >/dev/null || bad "ksim plot on HPA columns failed"
[ "$(png_height "$tmp/hpa/plots/deployment-web.png")" = 640 ] && ok || bad "HPA deployment chart is not 640 px high"
[ "$(png_height "$tmp/run/plots/deployment-web.png")" = 380 ] && ok || bad "plain deployment chart is not 380 px high"
n="$(pixels "$tmp/hpa/plots/deployment-web.png" 148 103 189)"
[ "$n" -gt 40 ] && ok || bad "HPA deployment chart has $n sampled pixels of the offered line, want > 40"
grep -q 'CPU used' "$tmp/hpa/plots/allocation.svg" && ok || bad "allocation.svg has no usage line"
grep -q 'CPU used' "$tmp/run/plots/allocation.svg" && bad "allocation.svg of a run without usage has a usage line" || ok

# A comparison folder: one chart per metric, bars in the bar colour #4e79a7.
mkdir -p "$tmp/cmp"
cat >"$tmp/cmp/comparison.csv" <<'CSV'
policy,metric,runs,mean,stddev,ci95_low,ci95_high
first-fit,pods.pending_at_end,10,12.5,3.1,10.2,14.8
first-fit,cpu_alloc_ratio.mean,10,0.4,0.01,0.39,0.41
best-fit,pods.pending_at_end,10,8.5,2.1,7,10
best-fit,cpu_alloc_ratio.mean,10,0.45,0.01,0.44,0.46
kube,pods.pending_at_end,10,10,2,8.5,11.5
kube,cpu_alloc_ratio.mean,10,0.42,0.02,0.4,0.44
CSV
"$ksim" plot "$tmp/cmp" >/dev/null || bad "ksim plot on a comparison folder failed"
got="$(ls "$tmp/cmp/plots" | tr '\n' ' ')"
want="comparison-cpu_alloc_ratio.mean.png comparison-cpu_alloc_ratio.mean.svg comparison-pods.pending_at_end.png comparison-pods.pending_at_end.svg "
[ "$got" = "$want" ] && ok || bad "comparison folder got '$got'"
n="$(pixels "$tmp/cmp/plots/comparison-pods.pending_at_end.png" 78 121 167)"
[ "$n" -gt 5000 ] && ok || bad "comparison chart has $n sampled bar pixels, want > 5000 (three bars)"

# A sweep folder: a chart per numeric metric (not per axis), a line per policy.
mkdir -p "$tmp/sweep"
cat >"$tmp/sweep/sweep.csv" <<'CSV'
point,spec.cluster.nodePools[0].count,policy,seed,pods.pending_at_end,cpu_alloc_ratio.mean
0,4,first-fit,1,6,0.9
1,4,first-fit,2,4,0.8
2,4,best-fit,1,3,0.9
3,4,best-fit,2,3,0.9
4,8,first-fit,1,2,0.5
5,8,first-fit,2,0,0.5
6,8,best-fit,1,0,0.4
7,8,best-fit,2,0,0.4
CSV
"$ksim" plot "$tmp/sweep" >/dev/null || bad "ksim plot on a sweep folder failed"
got="$(ls "$tmp/sweep/plots" | tr '\n' ' ')"
want="sweep-cpu_alloc_ratio.mean.png sweep-cpu_alloc_ratio.mean.svg sweep-pods.pending_at_end.png sweep-pods.pending_at_end.svg "
[ "$got" = "$want" ] && ok || bad "sweep folder got '$got'"
# Both policies have a key entry; first-fit's line is gnuplot's first colour, #9400d3.
grep -q '>first-fit<' "$tmp/sweep/plots/sweep-pods.pending_at_end.svg" && grep -q '>best-fit<' "$tmp/sweep/plots/sweep-pods.pending_at_end.svg" \
  && ok || bad "sweep chart lacks a policy"
n="$(pixels "$tmp/sweep/plots/sweep-pods.pending_at_end.png" 148 0 211)"
[ "$n" -gt 40 ] && ok || bad "sweep chart has $n sampled pixels of first-fit's line, want > 40"

# Errors: one line, exit 1, no plots folder.
expect_err() { # NAME RC REGEX -- CMD...
  local name="$1" rc="$2" re="$3"
  shift 4
  "$@" >/dev/null 2>"$tmp/err"
  local got=$?
  if [ $got -ne "$rc" ]; then bad "$name: exit $got, want $rc"
  elif [ "$(wc -l <"$tmp/err")" -ne 1 ] || ! grep -Eq -- "$re" "$tmp/err"; then bad "$name: stderr: $(cat "$tmp/err")"
  else ok; fi
}
expect_err no-args 2 "^ksim plot: missing RESULTS_DIR" -- "$ksim" plot
expect_err bad-option 2 "^ksim plot: unknown option '--frob'" -- "$ksim" plot --frob "$tmp/few"
expect_err missing-dir 1 "^$tmp/nope: cannot open: No such file or directory$" -- "$ksim" plot "$tmp/nope"
mkdir -p "$tmp/empty"
expect_err empty-dir 1 "^$tmp/empty: nothing to plot: no timeseries.csv, comparison.csv, plan.csv, sweep.csv or fit-nodes.csv$" -- "$ksim" plot "$tmp/empty"
mkdir -p "$tmp/ragged"
printf 'time_s,nodes\n0,3\n60\n' >"$tmp/ragged/timeseries.csv"
expect_err ragged 1 "^$tmp/ragged/timeseries.csv:3:1: row has 1 fields, the header has 2$" -- "$ksim" plot "$tmp/ragged"
mkdir -p "$tmp/badcmp"
printf 'policy,metric,mean\nx,y,1\n' >"$tmp/badcmp/comparison.csv"
expect_err bad-header 1 "^$tmp/badcmp/comparison.csv:1:1: expected the header policy,metric,runs" -- "$ksim" plot "$tmp/badcmp"
for d in ragged badcmp empty; do [ -e "$tmp/$d/plots" ] && bad "$d: a plots folder was left"; done
[ "$(find "$tmp" -name '.plots*' | wc -l)" -eq 0 ] && ok || bad "temporary plots folders left"

# No gnuplot: ksim run warns in one line and succeeds; ksim plot fails.
KSIM_GNUPLOT=/nonexistent/gnuplot expect_err run-no-gnuplot 0 "^ksim run: warning: cannot run /nonexistent/gnuplot: No such file or directory; no plots drawn" -- \
  "$ksim" run scenarios/quickstart.yaml -o "$tmp/nog" --no-progress
[ -s "$tmp/nog/summary.json" ] && [ ! -e "$tmp/nog/plots" ] && ok || bad "run without gnuplot: results or plots wrong"
KSIM_GNUPLOT=/nonexistent/gnuplot expect_err plot-no-gnuplot 1 "^cannot run /nonexistent/gnuplot" -- "$ksim" plot "$tmp/few"
# A gnuplot that fails: its first line of complaint is the message.
printf '#!/bin/sh\necho "line 3: all points y value undefined!" >&2\nexit 1\n' >"$tmp/fakegp"
chmod +x "$tmp/fakegp"
KSIM_GNUPLOT="$tmp/fakegp" expect_err plot-gnuplot-fails 1 "^$tmp/fakegp failed \(exit 1\): line 3: all points y value undefined!$" -- "$ksim" plot "$tmp/cmp"
[ -e "$tmp/cmp/plots/comparison-pods.pending_at_end.png" ] && ok || bad "a failed replot removed the earlier plots"

echo "plot: $pass passed, $fail failed"
[ $fail -eq 0 ]
