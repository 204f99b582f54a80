# Replicas against load for one HPA-managed Deployment of a ksim run: offered
# and served load (left axis), desired / current / Ready replicas (right axis),
# and the HPA's first metric against its target below.
# Usage: gnuplot -e "dir='results/runs/hpa-step-7'; dep='web'; out='hpa.png'" scripts/plot/hpa.gp
# Reads DIR/timeseries.csv by column name (<dep>_offered_rps, <dep>_hpa_desired, ...).
if (!exists("dir")) dir = "."
if (!exists("dep")) dep = "web"
if (!exists("out")) out = dir."/hpa-".dep.".png"
if (!exists("title")) title = "ksim: ".dep." in ".dir
set datafile separator ","
set datafile missing ""
set terminal pngcairo size 1000,700 font "DejaVu Sans,10"
set output out
set grid
set key top center horizontal
set offsets 0, 0, graph 0.25, 0
f = dir."/timeseries.csv"
c(name) = column(dep."_".name)
set multiplot layout 2,1 title title
set lmargin 10
set rmargin 10
set ylabel "requests / s"
set y2label "replicas"
set y2tics
set ytics nomirror
set yrange [0:*]
stats f using (c("replicas")) nooutput
set y2range [0:(STATS_max > 0 ? STATS_max * 1.3 : 1)]
set xlabel ""
plot f using (column("time_s")/60):(c("offered_rps")) with lines lw 2 lc rgb "#999999" title "offered", \
     "" using (column("time_s")/60):(c("served_rps")) with lines lw 1 lc rgb "#2ca02c" title "served", \
     "" using (column("time_s")/60):(c("hpa_desired")) axes x1y2 with steps lw 2 lc rgb "#d62728" title "HPA desired", \
     "" using (column("time_s")/60):(c("replicas")) axes x1y2 with steps lw 1 lc rgb "#1f77b4" title "pods", \
     "" using (column("time_s")/60):(c("ready")) axes x1y2 with steps lw 2 lc rgb "#ff7f0e" title "Ready"
unset y2label
unset y2tics
set ytics mirror
set ylabel "first metric"
set xlabel "time (min)"
plot f using (column("time_s")/60):(c("metric")) with steps lw 2 lc rgb "#9467bd" title "metric (as the HPA saw it)", \
     "" using (column("time_s")/60):(c("target")) with lines dt 2 lw 1 lc rgb "#000000" title "target"
unset multiplot
