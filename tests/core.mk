# tests/core.mk - the wrappers, the header, the ABI (issue 2)
check_PROGRAMS += tests/smoke
TESTS += tests/smoke
tests_smoke_CFLAGS = $(TESTS_CFLAGS)
tests_smoke_LDADD = $(TESTS_LDADD)
