# over-time.gp - the memory coming back after SIGKILL, from the
# over-time.dat mrelease-bench writes (one sampled repetition)
#   gnuplot -e "datafile='bench-results/over-time.dat'; outfile='x.png'" over-time.gp
# Index blocks of over-time.dat (columns: ms after SIGKILL, MiB the
# victim's memory cgroup still holds): 0 busy plain kill + wait, 1 busy
# mrelease_kill, 2 idle plain, 3 idle mrelease_kill, 4 munmap floor.
if (!exists("datafile")) datafile = 'bench-results/over-time.dat'
if (!exists("outfile")) outfile = 'bench-results/over-time.png'
set terminal pngcairo size 1000,600 font ",11"
set output outfile
set title "Memory given back after SIGKILL (victim's memory cgroup charge, sampled every 1 ms)"
set xlabel "time after SIGKILL, ms (munmap floor: after munmap() began)"
set ylabel "memory still held by the victim, MiB"
set key below horizontal
set grid
set xrange [-5:*]
set yrange [0:*]
set datafile missing "nan"
plot datafile index 0 using 1:2 with lines lw 3 lc rgb "#d62728" title "victim CPU busy: kill + wait", \
     '' index 1 using 1:2 with lines lw 3 lc rgb "#1f77b4" title "victim CPU busy: mrelease\\_kill", \
     '' index 2 using 1:2 with lines lw 2 dt 3 lc rgb "#ff7f0e" title "idle: kill + wait", \
     '' index 3 using 1:2 with lines lw 2 dt 3 lc rgb "#17becf" title "idle: mrelease\\_kill", \
     '' index 4 using 1:2 with lines lw 2 dt 2 lc rgb "black" title "munmap floor (1 thread)"
