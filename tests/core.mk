# tests/core.mk - the wrappers, the header, the ABI (issue 2)
#
# Check programs, one per kernel feature: a kernel that lacks the feature
# makes the program exit 77 naming it.
core_check_programs = \
	tests/api \
	tests/pidfd-open \
	tests/pidfd-kill \
	tests/pidfd-thread \
	tests/process-mrelease \
	tests/process-mrelease-held \
	tests/sandbox
check_PROGRAMS += $(core_check_programs)
TESTS += $(core_check_programs)

tests_api_SOURCES = tests/api.c
tests_api_CFLAGS = $(TESTS_CFLAGS)
tests_api_LDADD = $(TESTS_LDADD)
tests_pidfd_open_SOURCES = tests/pidfd-open.c
tests_pidfd_open_CFLAGS = $(TESTS_CFLAGS)
tests_pidfd_open_LDADD = $(TESTS_LDADD)
tests_pidfd_kill_SOURCES = tests/pidfd-kill.c
tests_pidfd_kill_CFLAGS = $(TESTS_CFLAGS)
tests_pidfd_kill_LDADD = $(TESTS_LDADD)
tests_pidfd_thread_SOURCES = tests/pidfd-thread.c
tests_pidfd_thread_CFLAGS = $(TESTS_CFLAGS)
tests_pidfd_thread_LDADD = $(TESTS_LDADD)
tests_process_mrelease_SOURCES = tests/process-mrelease.c
tests_process_mrelease_CFLAGS = $(TESTS_CFLAGS)
tests_process_mrelease_LDADD = $(TESTS_LDADD)
tests_process_mrelease_held_SOURCES = tests/process-mrelease-held.c
tests_process_mrelease_held_CFLAGS = $(TESTS_CFLAGS)
tests_process_mrelease_held_LDADD = $(TESTS_LDADD)
tests_sandbox_SOURCES = tests/sandbox.c
tests_sandbox_CFLAGS = $(TESTS_CFLAGS)
tests_sandbox_LDADD = $(TESTS_LDADD)

# Shell tests: the header with glibc's headers, in C89 and C++, and what a
# linked program imports; the exported symbols against the map and the
# header; abidiff against the baseline in abi/; a pkg-config consumer of an
# installed copy; the example; the errnos the suite cannot provoke.
core_shell_tests = \
	tests/header.sh \
	tests/abi.sh \
	tests/abidiff.sh \
	tests/pkgconfig.sh \
	tests/reap-child.sh \
	tests/not-provoked.sh
TESTS += $(core_shell_tests)
EXTRA_DIST += $(core_shell_tests) tests/errno-not-provoked.txt \
	abi/libmrelease.so.1.abi

# The ABI baseline abidiff.sh compares with: the ABI of the last release.
# Rewrite it only when cutting a release, from a build of that release.
abi-baseline: lib/libmrelease.la
	$(ABIDW) --no-show-locs --no-corpus-path --no-comp-dir-path \
		--out-file $(srcdir)/abi/libmrelease.so.1.abi \
		lib/.libs/libmrelease.so
.PHONY += abi-baseline
