# over-time.gp - the memory coming back after SIGKILL, from an over-time
# .dat file mrelease-bench writes (one sampled repetition per series)
#   gnuplot -e "datafile='bench-results/over-time.dat'; outfile='x.png'; nseries=5" over-time.gp
# Each index block of the file is one series: its title on its first line,
# then ms after SIGKILL (the floor: after munmap() began) and the MiB the
# victims' memory cgroup still holds.
if (!exists("datafile")) datafile = 'bench-results/over-time.dat'
if (!exists("outfile")) outfile = 'bench-results/over-time.png'
if (!exists("nseries")) nseries = 5
if (!exists("plottitle")) plottitle = 'one victim'
set terminal pngcairo size 1000,600 font ",11" noenhanced
set output outfile
set title "Memory given back after SIGKILL, ".plottitle." (memory cgroup charge, sampled every 1 ms)"
set xlabel "time after SIGKILL, ms (munmap floor: after munmap() began)"
set ylabel "memory still held by the victims, MiB"
set key below horizontal
set grid
set xrange [-5:*]
set yrange [0:*]
set datafile missing "nan"
plot for [i=0:nseries-1] datafile index i using 1:2 with lines lw 2 title columnheader(1)
