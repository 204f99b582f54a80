# The search of `ksim plan`: every run it made, at the value it tried (node
# count or load multiplier) against the first goal's metric, green where the
# run met all goals and red where it did not. The answer is where the colours
# change. Reads DIR/plan.csv (<knob>,seed,met,<goal metric>,...).
# Usage: gnuplot -e "dir='results/plan/x-min-nodes'" scripts/plot/plan.gp
# Optional: knob='nodes'; metric='pods.pending_at_end' (the column titles);
#           term='png'|'svg'; out='file'.
if (!exists("dir")) dir = "."
if (!exists("knob")) knob = "value"
if (!exists("metric")) metric = "first goal"
if (!exists("term")) term = "png"
if (!exists("out")) out = "plan.".term
if (term eq "svg") {
    set terminal svg size 700,420 font "DejaVu Sans,11" noenhanced background "#ffffff"
} else {
    set terminal pngcairo size 700,420 font "DejaVu Sans,10" noenhanced
}
set datafile separator ","
f = dir."/plan.csv"
set output out
set title "ksim plan: ".metric." per run (green: all goals met)"
set xlabel knob
set ylabel metric
set grid
set offsets graph 0.05, graph 0.05, graph 0.08, graph 0.05
set key top right
plot f skip 1 using ($3 == 1 ? $1 : NaN):4 with points pt 7 ps 1.2 lc rgb "#59a14f" title "met", \
     f skip 1 using ($3 == 0 ? $1 : NaN):4 with points pt 2 ps 1.4 lw 2 lc rgb "#e15759" title "missed"
set output
