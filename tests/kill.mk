# tests/kill.mk - kill and reap (1.1): this area's tests

KILL_TESTS_CFLAGS = $(TESTS_CFLAGS) -pthread
KILL_TESTS_LDADD = $(TESTS_LDADD) -lpthread

check_PROGRAMS += tests/kill
TESTS += tests/kill
tests_kill_SOURCES = tests/kill.c tests/killtest.h
tests_kill_CFLAGS = $(KILL_TESTS_CFLAGS)
tests_kill_LDADD = $(KILL_TESTS_LDADD)

check_PROGRAMS += tests/kill-cgroup
TESTS += tests/kill-cgroup
tests_kill_cgroup_SOURCES = tests/kill-cgroup.c tests/killtest.h
tests_kill_cgroup_CFLAGS = $(KILL_TESTS_CFLAGS)
tests_kill_cgroup_LDADD = $(KILL_TESTS_LDADD)

# The library's own sources with the test hook compiled in (no exported
# symbol): lib/kill-internal.h, mr_test_cgroup_pids.
check_PROGRAMS += tests/kill-cgroup-hook
TESTS += tests/kill-cgroup-hook
tests_kill_cgroup_hook_SOURCES = tests/kill-cgroup-hook.c tests/killtest.h \
	lib/procfs.c lib/kill.c lib/cgroup.c lib/syscall.c
tests_kill_cgroup_hook_CPPFLAGS = $(AM_CPPFLAGS) -DMRELEASE_TESTING
tests_kill_cgroup_hook_CFLAGS = $(KILL_TESTS_CFLAGS)
tests_kill_cgroup_hook_LDADD = tests/libtestlib.la $(CHECK_LIBS) -lpthread

# The reaper, from the library's sources with the test hook
# (mr_test_reaper_job), and again under valgrind.
check_PROGRAMS += tests/reaper
TESTS += tests/reaper tests/reaper-valgrind.sh
tests_reaper_SOURCES = tests/reaper.c tests/killtest.h \
	lib/procfs.c lib/kill.c lib/reaper.c lib/syscall.c
tests_reaper_CPPFLAGS = $(AM_CPPFLAGS) -DMRELEASE_TESTING
# DWARF 4: the valgrind of Debian 12 cannot read clang's DWARF 5.
tests_reaper_CFLAGS = $(KILL_TESTS_CFLAGS) -gdwarf-4
tests_reaper_LDADD = tests/libtestlib.la $(CHECK_LIBS) -lpthread
EXTRA_DIST += tests/reaper-valgrind.sh

TESTS += tests/kill-man.sh
EXTRA_DIST += tests/kill-man.sh

check_PROGRAMS += tests/emfile
TESTS += tests/emfile
tests_emfile_SOURCES = tests/emfile.c tests/killtest.h
tests_emfile_CFLAGS = $(KILL_TESTS_CFLAGS)
tests_emfile_LDADD = $(KILL_TESTS_LDADD)
