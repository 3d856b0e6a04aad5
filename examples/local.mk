# examples/local.mk - the example programs of the core library (issue 2)
#
# Built by `make` so that they keep compiling, never installed.  They use
# the library as any program would: <mrelease.h> and -lmrelease.

noinst_PROGRAMS += examples/reap-child
examples_reap_child_SOURCES = examples/reap-child.c
examples_reap_child_LDADD = lib/libmrelease.la
