# plot.gp - time to free against N, from the plot.dat mrelease-bench writes
#   gnuplot -e "datafile='bench-results/plot.dat'; outfile='x.png'" plot.gp
# Columns of plot.dat: N in GiB, then median, min, max in ms of: idle plain
# kill + wait, idle mrelease_kill, busy plain, busy mrelease_kill, munmap.
if (!exists("datafile")) datafile = 'bench-results/plot.dat'
if (!exists("outfile")) outfile = 'bench-results/time-to-free.png'
set terminal pngcairo size 1000,650 font ",11"
set output outfile
set title "Time to free N GiB after SIGKILL, one victim (median, bars: min-max)"
set xlabel "N, GiB of touched private anonymous memory"
set ylabel "time until the memory is back (killer view), ms"
set xrange [0:*]
set yrange [0:*]
set key top left
set grid
set datafile missing "nan"
set offsets graph 0.05, graph 0.05, graph 0.05, 0
plot datafile using 1:8:9:10 with yerrorlines lw 2 title "victim CPU busy: kill + wait", \
     '' using 1:11:12:13 with yerrorlines lw 2 title "victim CPU busy: mrelease\\_kill", \
     '' using 1:2:3:4 with yerrorlines title "idle: kill + wait", \
     '' using 1:5:6:7 with yerrorlines title "idle: mrelease\\_kill", \
     '' using 1:14:15:16 with yerrorlines dt 2 lw 2 lc rgb "black" title "munmap floor (1 thread)"
