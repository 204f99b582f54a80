# Pods waiting for a node and how long the scheduler made them wait, over time.
# Usage: gnuplot -e "dir='results/runs/quickstart-42'" scripts/plot/pending.gp
# Optional: latency=0 leaves out the latency panel (runs older than the
# sched_latency_*_s columns); term='png'|'svg'; out='file'.
if (!exists("dir")) dir = "."
if (!exists("latency")) latency = 1
if (!exists("term")) term = "png"
if (!exists("out")) out = "pending.".term
height = latency ? 640 : 380
if (term eq "svg") {
    set terminal svg size 900,height font "DejaVu Sans,11" noenhanced background "#ffffff"
} else {
    set terminal pngcairo size 900,height font "DejaVu Sans,10" noenhanced
}
set output out
set datafile separator ","
set grid
# Fixed margins line the time axes of all charts up, whatever the key says.
set lmargin 10
set rmargin 24
set key outside right top
set xlabel "time (h)"
f = dir."/timeseries.csv"
if (latency) { set multiplot layout 2,1 title "Pending pods and scheduling latency" }
if (!latency) { set title "Pending pods" }
set ylabel "pods"
set yrange [0:*]
# Head room, so a line at the maximum is not drawn on the border.
set offsets 0, 0, graph 0.08, 0
plot f using (column("time_s")/3600):(column("pods_pending")) with steps lw 2 lc rgb "#d62728" title "pending", \
     f using (column("time_s")/3600):(column("pods_starting")) with steps lw 1 lc rgb "#7f7f7f" title "starting"
if (latency) {
    # Each row holds the pods bound since the previous row; rows with none are skipped.
    set ylabel "seconds from creation to binding"
    plot f using (column("time_s")/3600):(column("pods_bound") > 0 ? column("sched_latency_max_s") : NaN) with points pt 7 ps 0.4 lc rgb "#ff7f0e" title "max in interval", \
         f using (column("time_s")/3600):(column("pods_bound") > 0 ? column("sched_latency_mean_s") : NaN) with points pt 7 ps 0.4 lc rgb "#1f77b4" title "mean in interval"
    unset multiplot
}
set output
