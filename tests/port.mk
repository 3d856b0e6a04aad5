# tests/port.mk - portability: the syscall numbers (issue 8)
#
# tests/syscall-table checks lib/syscall-nr.h against <asm/unistd.h> at
# compile time and at run time, and calls the library's wrappers.
# tests/syscall-table-fallback is the same program with the wrappers
# (lib/syscall.c) compiled into it under -DMRELEASE_IGNORE_HEADER_NR: the
# numbers come from the fallback table alone, as in a build against kernel
# headers older than the calls, and must still reach the right calls.
check_PROGRAMS += tests/syscall-table tests/syscall-table-fallback
TESTS += tests/syscall-table tests/syscall-table-fallback
tests_syscall_table_SOURCES = tests/syscall-table.c
tests_syscall_table_CFLAGS = $(TESTS_CFLAGS)
tests_syscall_table_LDADD = $(TESTS_LDADD)
tests_syscall_table_fallback_SOURCES = tests/syscall-table.c lib/syscall.c
tests_syscall_table_fallback_CPPFLAGS = $(AM_CPPFLAGS) \
	-DMRELEASE_IGNORE_HEADER_NR
tests_syscall_table_fallback_CFLAGS = $(TESTS_CFLAGS)
tests_syscall_table_fallback_LDADD = tests/libtestlib.la $(CHECK_LIBS)
