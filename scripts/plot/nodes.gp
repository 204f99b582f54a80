# Nodes alive over time.
# Usage: gnuplot -e "dir='results/runs/quickstart-42'" scripts/plot/nodes.gp
# Optional: term='png'|'svg'; out='file'.
if (!exists("dir")) dir = "."
if (!exists("term")) term = "png"
if (!exists("out")) out = "nodes.".term
if (term eq "svg") {
    set terminal svg size 900,300 font "DejaVu Sans,11" noenhanced background "#ffffff"
} else {
    set terminal pngcairo size 900,300 font "DejaVu Sans,10" noenhanced
}
set output out
set datafile separator ","
set grid
# Fixed margins line the time axes of all charts up, whatever the key says.
set lmargin 10
set rmargin 24
set key off
set title "Nodes"
set xlabel "time (h)"
set ylabel "nodes"
set yrange [0:*]
# Head room, so a line at the maximum is not drawn on the border.
set offsets 0, 0, graph 0.08, 0
plot dir."/timeseries.csv" using (column("time_s")/3600):(column("nodes")) with steps lw 2 lc rgb "#8c564b"
set output
