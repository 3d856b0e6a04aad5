# tests/local.mk - the test harness shared by every area's tests

# The helpers every test program links (tests/testlib.h).
check_LTLIBRARIES += tests/libtestlib.la
tests_libtestlib_la_SOURCES = tests/testlib.c tests/testlib.h
# testlib.c includes <check.h> (tl_run).
tests_libtestlib_la_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)

# A Check test program: link testlib, Check and the library under test.
TESTS_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) -I$(top_srcdir)/tests
TESTS_LDADD = tests/libtestlib.la lib/libmrelease.la $(CHECK_LIBS)

AM_TESTS_ENVIRONMENT = \
	top_srcdir=$(abs_top_srcdir); top_builddir=$(abs_top_builddir); \
	CC="$(CC)"; CXX="$(CXX)"; MAKE="$(MAKE)"; \
	export top_srcdir top_builddir CC CXX MAKE; \
	CK_DEFAULT_TIMEOUT=60; export CK_DEFAULT_TIMEOUT;

include $(srcdir)/tests/core.mk
include $(srcdir)/tests/kill.mk
include $(srcdir)/tests/man.mk
include $(srcdir)/tests/tool.mk
include $(srcdir)/tests/hardening.mk
include $(srcdir)/tests/port.mk
