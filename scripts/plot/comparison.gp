# One metric of a policy comparison: a bar per policy at the mean over seeds,
# with its 95% confidence interval as an error bar.
# Reads DIR/comparison.csv (policy,metric,runs,mean,stddev,ci95_low,ci95_high).
# Usage: gnuplot -e "dir='results/compare/x'; metric='pods.pending_at_end'" scripts/plot/comparison.gp
# Optional: term='png'|'svg'; out='file'.
if (!exists("dir")) dir = "."
if (!exists("metric")) metric = "pods.pending_at_end"
if (!exists("term")) term = "png"
if (!exists("out")) out = "comparison-".metric.".".term
if (term eq "svg") {
    set terminal svg size 700,420 font "DejaVu Sans,11" noenhanced background "#ffffff"
} else {
    set terminal pngcairo size 700,420 font "DejaVu Sans,10" noenhanced
}
set datafile separator ","
f = dir."/comparison.csv"
# First pass: number the policies that have this metric and name the bars.
n = 0
labels = ""
stats f skip 1 using (strcol(2) eq metric ? (n = n + 1, labels = labels.sprintf("%s\"%s\" %d", n > 1 ? ", " : "", strcol(1), n), 0) : 0) nooutput
if (n == 0) { print "comparison.gp: no rows for metric ".metric; exit }
eval "set xtics (".labels.")"
set output out
set title metric." (mean over seeds, 95% CI)"
set xrange [0.4:n + 0.6]
set yrange [0:*]
set grid ytics
set key off
set style fill solid 1.0 border lc rgb "#2f4b7c"
set boxwidth 0.6
i = 0
j = 0
# Other metrics' rows get NaN for y as well as x, so they stay out of the y autoscale.
plot f skip 1 using (strcol(2) eq metric ? (i = i + 1) : NaN):(strcol(2) eq metric ? $4 : NaN) with boxes lc rgb "#4e79a7", \
     f skip 1 using (strcol(2) eq metric ? (j = j + 1) : NaN):(strcol(2) eq metric ? $4 : NaN):(strcol(2) eq metric ? $6 : NaN):(strcol(2) eq metric ? $7 : NaN) with yerrorbars pt 0 lw 1.5 lc rgb "#000000"
set output
