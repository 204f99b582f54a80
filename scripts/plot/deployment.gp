# Replicas of one Deployment over time and, when the run has a load model, the
# load it was offered and served.
# Usage: gnuplot -e "dir='results/runs/quickstart-42'; dep='web'" scripts/plot/deployment.gp
# Optional: hpa=1 draws <dep>_hpa_desired, load=1 draws <dep>_offered_rps and
# <dep>_served_rps (ksim sets both from the columns timeseries.csv has);
# term='png'|'svg'; out='file'.
if (!exists("dir")) dir = "."
if (!exists("dep")) dep = "web"
if (!exists("hpa")) hpa = 0
if (!exists("load")) load = 0
if (!exists("term")) term = "png"
if (!exists("out")) out = "deployment-".dep.".".term
height = load ? 640 : 380
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
if (load) { set multiplot layout 2,1 title "Deployment ".dep }
if (!load) { set title "Deployment ".dep }
set ylabel "replicas"
set yrange [0:*]
# Head room, so a line at the maximum is not drawn on the border.
set offsets 0, 0, graph 0.08, 0
plot f using (column("time_s")/3600):(column(dep."_desired")) with steps lw 5 lc rgb "#1f77b4" title "desired", \
     f using (column("time_s")/3600):(column(dep."_replicas")) with steps lw 3 lc rgb "#ff7f0e" title "replicas", \
     f using (column("time_s")/3600):(column(dep."_ready")) with steps lw 1.5 lc rgb "#2ca02c" title "ready", \
     for [i=1:hpa] f using (column("time_s")/3600):(column(dep."_hpa_desired")) with steps lw 1 dt 2 lc rgb "#d62728" title "HPA desired"
if (load) {
    set ylabel "requests / s"
    plot f using (column("time_s")/3600):(column(dep."_offered_rps")) with lines lw 2 lc rgb "#9467bd" title "offered", \
         f using (column("time_s")/3600):(column(dep."_served_rps")) with lines lw 2 lc rgb "#8c564b" title "served"
    unset multiplot
}
set output
