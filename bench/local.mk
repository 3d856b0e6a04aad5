# bench/local.mk - the benchmark and demo (issue 6): built on demand by
# `make bench`, `make demo` and `make check` (its smoke test), never installed.

check_PROGRAMS += bench/mrelease-bench
bench_mrelease_bench_SOURCES = bench/mrelease-bench.c
bench_mrelease_bench_CPPFLAGS = $(AM_CPPFLAGS) \
	-DBENCH_PLOT_SCRIPT='"$(abs_top_srcdir)/bench/plot.gp"'
bench_mrelease_bench_LDADD = lib/libmrelease.la -lm
# -no-install: a real binary (no libtool wrapper), so that it can run
# itself under valgrind to count instructions.
bench_mrelease_bench_LDFLAGS = $(AM_LDFLAGS) -no-install

TESTS += bench/smoke.sh
EXTRA_DIST += bench/plot.gp bench/smoke.sh bench/README

# make bench BENCH_OUT=dir BENCH_FLAGS='--sizes 1G --reps 5'
BENCH_OUT = bench-results
BENCH_FLAGS =

.PHONY: bench demo
bench: bench/mrelease-bench
	bench/mrelease-bench --out $(BENCH_OUT) \
		--plot-script $(srcdir)/bench/plot.gp $(BENCH_FLAGS)

demo: bench/mrelease-bench
	bench/mrelease-bench --demo --out $(BENCH_OUT)/demo \
		--plot-script $(srcdir)/bench/plot.gp $(BENCH_FLAGS)
