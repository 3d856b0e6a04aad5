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
