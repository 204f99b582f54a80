# Overview of one ksim run: pods by state, CPU/memory allocation and nodes over time.
# Usage: gnuplot -e "dir='results/runs/quickstart-42'; out='overview.png'" scripts/plot/overview.gp
# Reads DIR/timeseries.csv by column name, so it keeps working when columns are added.
if (!exists("dir")) dir = "."
if (!exists("out")) out = dir."/overview.png"
set datafile separator ","
set terminal pngcairo size 1000,640 font "DejaVu Sans,10"
set output out
set key top left
set grid
if (!exists("title")) title = "ksim run: ".dir
set multiplot layout 2,1 title title
set ylabel "pods"
set xlabel ""
plot dir."/timeseries.csv" using (column("time_s")/3600):(column("pods_running")) with lines lw 2 title "running", \
     "" using (column("time_s")/3600):(column("pods_pending")) with lines lw 2 title "pending", \
     "" using (column("time_s")/3600):(column("pods_starting")) with lines title "starting"
set ylabel "allocated / allocatable"
set xlabel "time (h)"
set yrange [0:1]
set y2label "nodes"
set y2tics
set y2range [0:*]
plot "" using (column("time_s")/3600):(column("cpu_alloc_ratio")) with lines lw 2 title "CPU", \
     "" using (column("time_s")/3600):(column("mem_alloc_ratio")) with lines lw 2 title "memory", \
     "" using (column("time_s")/3600):(column("nodes")) axes x1y2 with steps title "nodes"
unset multiplot
