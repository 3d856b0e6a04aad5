# tests/hardening.mk - this area's tests (issue 7): the hostile-argument
# table, the sanitizer test environment, `make check-valgrind'.
# RELEASE.md says how to run each check by hand.

# Every public entry point against hostile arguments.
check_PROGRAMS += tests/hostile
TESTS += tests/hostile
tests_hostile_CFLAGS = $(TESTS_CFLAGS)
tests_hostile_LDADD = $(TESTS_LDADD)

# The reaper and the threaded cgroup kill under load (TSan's stage 35).
check_PROGRAMS += tests/threads-race
TESTS += tests/threads-race
tests_threads_race_CFLAGS = $(TESTS_CFLAGS)
tests_threads_race_LDADD = $(TESTS_LDADD)

# ASan/UBSan (./configure --enable-sanitizers): stop at the first report of
# any kind, in the test and in every child it forks.  Tests that fork leave
# their children with _exit() or SIGKILL, so LeakSanitizer only runs where a
# Check test ends; verify_asan_link_order=0 lets a test exec a program that
# links the instrumented library without the runtime first (gcc).
if ENABLE_SANITIZERS
AM_TESTS_ENVIRONMENT += \
	ASAN_OPTIONS="halt_on_error=1:abort_on_error=0:detect_leaks=1:check_initialization_order=1:strict_string_checks=1:detect_stack_use_after_return=1:verify_asan_link_order=0$${ASAN_OPTIONS:+:$$ASAN_OPTIONS}"; \
	UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1$${UBSAN_OPTIONS:+:$$UBSAN_OPTIONS}"; \
	export ASAN_OPTIONS UBSAN_OPTIONS;
endif
# ThreadSanitizer (./configure --enable-tsan): any report fails the test.
if ENABLE_TSAN
AM_TESTS_ENVIRONMENT += \
	TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:exitcode=66$${TSAN_OPTIONS:+:$$TSAN_OPTIONS}"; \
	export TSAN_OPTIONS;
endif

# valgrind memcheck over the whole suite: `make check-valgrind'.
# tests/vg-syscall.c is the LD_PRELOAD shim that gives valgrind 3.19 the
# three system calls it does not know (see tests/valgrind-wrap.sh).
EXTRA_DIST += tests/valgrind-wrap.sh tests/valgrind.supp
if HAVE_VALGRIND_H
check_LTLIBRARIES += tests/libvgsyscall.la
tests_libvgsyscall_la_SOURCES = tests/vg-syscall.c
# Plain flags: the shim runs inside valgrind, never with a sanitizer.
tests_libvgsyscall_la_CFLAGS = $(WARN_CFLAGS)
tests_libvgsyscall_la_LDFLAGS = -module -avoid-version -shared -rpath /nowhere
tests_libvgsyscall_la_LIBADD = -ldl
else
EXTRA_DIST += tests/vg-syscall.c
endif

# Every test goes through the wrapper; it runs scripts as they are and
# programs (ELF or libtool wrappers) under valgrind.
check-valgrind:
	@if test -z "$(VALGRIND)"; then \
		echo "check-valgrind: valgrind not found (install it, re-run configure)"; exit 1; fi
	@if test -n "$(SANITIZER_CFLAGS)"; then \
		echo "check-valgrind: not in a sanitizer build"; exit 1; fi
	$(MAKE) $(AM_MAKEFLAGS) check \
		LOG_COMPILER="$(SHELL) $(abs_top_srcdir)/tests/valgrind-wrap.sh" \
		VG_TESTS_ENVIRONMENT='VALGRIND="$(VALGRIND)"; LIBTOOL="$(abs_top_builddir)/libtool"; VG_SHIM="$(abs_top_builddir)/tests/.libs/libvgsyscall.so"; export VALGRIND LIBTOOL VG_SHIM;'
.PHONY: check-valgrind
# Empty but in check-valgrind.
VG_TESTS_ENVIRONMENT =
AM_TESTS_ENVIRONMENT += $(VG_TESTS_ENVIRONMENT)

# The test programs' names, for stages that pick tests by name (35-tsan).
print-tests:
	@echo $(TESTS)
.PHONY: print-tests

# The release checklist and how to run each hardening check by hand.
EXTRA_DIST += RELEASE.md
