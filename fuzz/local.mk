# fuzz/local.mk - libFuzzer targets for every parser of outside text (issue 7)
#
#   make fuzz [FUZZ_SECONDS=60] [FUZZ_TARGETS='procfs-status ...']
# builds each fuzz/TARGET with $(FUZZ_CC) (clang: -fsanitize=fuzzer,address,
# undefined) from fuzz/TARGET.c and the parser's own source file - no /proc,
# no library - and runs it for FUZZ_SECONDS on its seed corpus
# (fuzz/corpus/TARGET/, committed; fuzz/run.sh); any crash fails.
# In every `make check', fuzz/replay-TARGET (any compiler) feeds the seed
# corpus through the same target: the corpus is a regression test.

# Parsers of the library (lib/procfs.c).
FUZZ_PROCFS_TARGETS = procfs-status procfs-cgroup procfs-pids procfs-fdinfo
# Parsers of mrelease(1) and the example daemon (tools/parse.c): argument
# values (PIDs, signals, durations, sizes) and /proc text.
FUZZ_PARSE_TARGETS = parse-args parse-proc
FUZZ_TARGETS = $(FUZZ_PROCFS_TARGETS) $(FUZZ_PARSE_TARGETS)
FUZZ_SECONDS = 60
# A file for "PASS n" / "FAIL n" (build-aux/check-all), or empty.
FUZZ_COUNTS =
FUZZ_COMPILE = $(FUZZ_CC) -std=gnu11 -g -O1 -fno-omit-frame-pointer \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-Wall -Wextra -Werror -include $(top_builddir)/config.h \
	-I$(top_srcdir)/include -I$(top_srcdir)/lib -I$(top_srcdir)/tools

$(FUZZ_PROCFS_TARGETS:%=fuzz/%): fuzz/%: $(srcdir)/fuzz/%.c \
		$(srcdir)/lib/procfs.c $(srcdir)/lib/procfs.h
	@$(MKDIR_P) fuzz
	$(AM_V_CC)$(FUZZ_COMPILE) -o $@ $(srcdir)/fuzz/$*.c $(srcdir)/lib/procfs.c
$(FUZZ_PARSE_TARGETS:%=fuzz/%): fuzz/%: $(srcdir)/fuzz/%.c \
		$(srcdir)/tools/parse.c $(srcdir)/tools/parse.h
	@$(MKDIR_P) fuzz
	$(AM_V_CC)$(FUZZ_COMPILE) -o $@ $(srcdir)/fuzz/$*.c $(srcdir)/tools/parse.c

fuzz-build:
	@if test -z "$(FUZZ_CC)"; then \
		echo "make fuzz: no clang (FUZZ_CC); install clang and libclang-rt-14-dev"; exit 1; fi
	$(MAKE) $(AM_MAKEFLAGS) $(FUZZ_TARGETS:%=fuzz/%)
fuzz: fuzz-build
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_COUNTS=$(FUZZ_COUNTS) \
		$(SHELL) $(srcdir)/fuzz/run.sh \
		$(srcdir)/fuzz fuzz $(FUZZ_TARGETS)
fuzz-clean:
	rm -rf fuzz/work fuzz/crash-* fuzz/*.log $(FUZZ_TARGETS:%=fuzz/%)
.PHONY: fuzz fuzz-build fuzz-clean
CLEANFILES += $(FUZZ_TARGETS:%=fuzz/%)

# The seed corpus as a regression test, with the build's own compiler.
FUZZ_REPLAY_CFLAGS = $(AM_CFLAGS) -I$(top_srcdir)/tools
FUZZ_REPLAY = fuzz/replay-procfs-status fuzz/replay-procfs-cgroup \
	fuzz/replay-procfs-pids fuzz/replay-procfs-fdinfo \
	fuzz/replay-parse-args fuzz/replay-parse-proc
check_PROGRAMS += $(FUZZ_REPLAY)
TESTS += $(FUZZ_REPLAY)
fuzz_replay_procfs_status_SOURCES = fuzz/replay.c fuzz/procfs-status.c lib/procfs.c
fuzz_replay_procfs_status_CFLAGS = $(FUZZ_REPLAY_CFLAGS)
fuzz_replay_procfs_cgroup_SOURCES = fuzz/replay.c fuzz/procfs-cgroup.c lib/procfs.c
fuzz_replay_procfs_cgroup_CFLAGS = $(FUZZ_REPLAY_CFLAGS)
fuzz_replay_procfs_pids_SOURCES = fuzz/replay.c fuzz/procfs-pids.c lib/procfs.c
fuzz_replay_procfs_pids_CFLAGS = $(FUZZ_REPLAY_CFLAGS)
fuzz_replay_procfs_fdinfo_SOURCES = fuzz/replay.c fuzz/procfs-fdinfo.c lib/procfs.c
fuzz_replay_procfs_fdinfo_CFLAGS = $(FUZZ_REPLAY_CFLAGS)
fuzz_replay_parse_args_SOURCES = fuzz/replay.c fuzz/parse-args.c tools/parse.c
fuzz_replay_parse_args_CFLAGS = $(FUZZ_REPLAY_CFLAGS)
fuzz_replay_parse_proc_SOURCES = fuzz/replay.c fuzz/parse-proc.c tools/parse.c
fuzz_replay_parse_proc_CFLAGS = $(FUZZ_REPLAY_CFLAGS)

EXTRA_DIST += fuzz/run.sh fuzz/corpus
