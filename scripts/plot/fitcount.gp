# The search of `ksim plan fit-count`: how many copies of the pod each node
# took, one bar per node, with the count on top and, under the node's name,
# the plugin that rejects the next copy there ("fits" when --max stopped the
# search first). The sum of the bars is the answer.
# Reads DIR/fit-nodes.csv (node,copies,next_copy).
# Usage: gnuplot -e "dir='results/plan/web-fit-count'" scripts/plot/fitcount.gp
# Optional: term='png'|'svg'; out='file'.
if (!exists("dir")) dir = "."
if (!exists("term")) term = "png"
if (!exists("out")) out = "plan.".term
if (term eq "svg") {
    set terminal svg size 700,420 font "DejaVu Sans,11" noenhanced background "#ffffff"
} else {
    set terminal pngcairo size 700,420 font "DejaVu Sans,10" noenhanced
}
set datafile separator ","
f = dir."/fit-nodes.csv"
stats f skip 1 using 2 nooutput
total = int(STATS_sum)
nodes = int(STATS_records)
# Whole copies: a tic per copy while that stays readable.
if (STATS_max <= 10) { set ytics 1 } else { set format y "%.0f" }
set output out
set title sprintf("ksim plan fit-count: %d copies fit (bars: copies per node)", total)
set ylabel "copies"
set yrange [0:*]
set offsets 0, 0, graph 0.12, 0
set style fill solid 1.0 border -1
set boxwidth 0.6
set grid ytics
unset key
# A few nodes: name and the next copy's verdict under each bar; many: names only, turned.
if (nodes <= 8) {
    set bmargin 4
    tic(n, why) = n."\n".why
} else {
    set xtics rotate by -90
    tic(n, why) = n
}
plot f skip 1 using 0:2:xticlabels(tic(strcol(1), strcol(3))) with boxes lc rgb "#4e79a7", \
     f skip 1 using 0:2:(sprintf("%d", $2)) with labels offset 0,0.8
set output
