# One metric of a sweep over the swept value: a line per policy, each point the
# mean over the seeds (and over any other axis) that share the value.
# Reads DIR/sweep.csv (point, the axes, then the metrics; from ksim sweep/merge).
# Usage: gnuplot -e "dir='results/sweeps/x'; xcol='spec.cluster.nodePools[0].count'; metric='pods.pending_at_end'; policies='first-fit best-fit'" scripts/plot/sweep.gp
# policies='' (the default) draws one line over every row; term='png'|'svg'; out='file'.
if (!exists("dir")) dir = "."
if (!exists("xcol")) xcol = "spec.cluster.nodePools[0].count"
if (!exists("metric")) metric = "pods.pending_at_end"
if (!exists("policies")) policies = ""
if (!exists("term")) term = "png"
if (!exists("out")) out = "sweep-".metric.".".term
if (term eq "svg") {
    set terminal svg size 700,420 font "DejaVu Sans,11" noenhanced background "#ffffff"
} else {
    set terminal pngcairo size 700,420 font "DejaVu Sans,10" noenhanced
}
set output out
set datafile separator ","
set title metric." (mean over seeds)"
set xlabel xcol
set grid
set key outside right top
set offsets graph 0.03, graph 0.03, graph 0.08, 0
f = dir."/sweep.csv"
names = policies eq "" ? "all" : policies
# smooth unique sorts a policy's rows by x and averages those that share an x;
# the other policies' rows (NaN) leave single blank lines between its points.
set table $smoothed
plot for [p in names] f using ((policies eq "" || strcol("policy") eq p) ? column(xcol) : NaN):(column(metric)) smooth unique
unset table
# Keep the double blank lines between policies (gnuplot's index), drop the
# single ones that would break each policy's line, and the comments.
set print $curves
blank = 0
do for [i = 1:|$smoothed|] {
    line = $smoothed[i]
    if (strlen(line) == 0) {
        blank = blank + 1
    } else {
        if (blank >= 2) { print ""; print "" }
        blank = 0
        if (line[1:1] ne "#") { print line }
    }
}
unset print
set datafile separator whitespace
plot for [i = 1:words(names)] $curves index (i - 1) using 1:2 with linespoints lw 2 pt 7 title (policies eq "" ? "" : word(names, i))
set output
