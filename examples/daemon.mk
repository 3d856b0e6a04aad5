# examples/daemon.mk - the example OOM daemon (issue 5)
#
# Built here too, so that -Werror sees it; tests/tool-daemon.sh builds it
# again against the installed library with pkg-config only.
check_PROGRAMS += examples/mrelease-oomd
examples_mrelease_oomd_SOURCES = examples/mrelease-oomd.c tools/parse.c tools/parse.h
examples_mrelease_oomd_LDADD = lib/libmrelease.la
