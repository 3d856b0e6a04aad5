# plot-cgroup.gp - the cgroup's time to free against its total size, from
# the cgroup-plot.dat mrelease-bench writes
#   gnuplot -e "datafile='bench-results/cgroup-plot.dat'; outfile='x.png'" plot-cgroup.gp
# Columns: total GiB, then median, min, max in ms of: loaded cgroup.kill +
# wait, oomd's pattern, mrelease_kill_cgroup (P threads), munmap floor (P
# tasks); then the same four idle.
if (!exists("datafile")) datafile = 'bench-results/cgroup-plot.dat'
if (!exists("outfile")) outfile = 'bench-results/cgroup-time-to-free.png'
if (!exists("plottitle")) plottitle = 'a cgroup'
if (!exists("yview")) yview = 'until its memory cgroup charge fell by 95%'
set terminal pngcairo size 1000,650 font ",11"
set output outfile
set title "Time to free a cgroup after the kill began (".plottitle."; median, bars: min-max)"
set xlabel "total size of the cgroup, GiB of touched private anonymous memory"
set ylabel "ms ".yview
set xrange [0:*]
set yrange [0:*]
set key top left
set grid
set datafile missing "nan"
set offsets graph 0.05, graph 0.05, graph 0.05, 0
plot datafile using 1:2:3:4 with yerrorlines lw 3 lc rgb "#d62728" title "loaded: cgroup.kill + wait", \
     '' using 1:5:6:7 with yerrorlines lw 3 lc rgb "#ff7f0e" title "loaded: oomd's pattern", \
     '' using 1:8:9:10 with yerrorlines lw 3 lc rgb "#1f77b4" title "loaded: mrelease\\_kill\\_cgroup, P threads", \
     '' using 1:11:12:13 with yerrorlines lw 2 dt 2 lc rgb "black" title "loaded: munmap floor, P tasks", \
     '' using 1:14:15:16 with yerrorlines lw 1 dt 3 lc rgb "#d62728" title "idle: cgroup.kill + wait", \
     '' using 1:17:18:19 with yerrorlines lw 1 dt 3 lc rgb "#ff7f0e" title "idle: oomd's pattern", \
     '' using 1:20:21:22 with yerrorlines lw 1 dt 3 lc rgb "#1f77b4" title "idle: mrelease\\_kill\\_cgroup, P threads", \
     '' using 1:23:24:25 with yerrorlines lw 1 dt 3 lc rgb "gray40" title "idle: munmap floor, P tasks"
