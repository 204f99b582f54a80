# CPU and memory allocation (requests / allocatable) over time and, when the run
# models usage, utilization (usage / allocatable).
# Usage: gnuplot -e "dir='results/runs/quickstart-42'" scripts/plot/allocation.gp
# Optional: usage=1 draws cpu_usage_cores and mem_usage_gib over allocatable
# (ksim sets it when timeseries.csv has them); term='png'|'svg'; out='file'.
if (!exists("dir")) dir = "."
if (!exists("usage")) usage = 0
if (!exists("term")) term = "png"
if (!exists("out")) out = "allocation.".term
if (term eq "svg") {
    set terminal svg size 900,380 font "DejaVu Sans,11" noenhanced background "#ffffff"
} else {
    set terminal pngcairo size 900,380 font "DejaVu Sans,10" noenhanced
}
set output out
set datafile separator ","
set grid
# Fixed margins line the time axes of all charts up, whatever the key says.
set lmargin 10
set rmargin 24
set key outside right top
set title "CPU and memory, cluster-wide"
set xlabel "time (h)"
set ylabel "fraction of allocatable"
set yrange [0:1.05]
f = dir."/timeseries.csv"
plot f using (column("time_s")/3600):(column("cpu_alloc_ratio")) with lines lw 2 lc rgb "#1f77b4" title "CPU requested", \
     f using (column("time_s")/3600):(column("mem_alloc_ratio")) with lines lw 2 lc rgb "#2ca02c" title "memory requested", \
     for [i=1:usage] f using (column("time_s")/3600):(column("cpu_usage_cores")/column("cpu_allocatable_cores")) with lines lw 1 dt 2 lc rgb "#1f77b4" title "CPU used", \
     for [i=1:usage] f using (column("time_s")/3600):(column("mem_usage_gib")/column("mem_allocatable_gib")) with lines lw 1 dt 2 lc rgb "#2ca02c" title "memory used"
set output
