# tests/tool.mk - mrelease(1) and the example daemon (issue 5)

check_PROGRAMS += tests/tool-victim tests/tool-parse
tests_tool_victim_SOURCES = tests/tool-victim.c

# the parsers, unit by unit
tests_tool_parse_SOURCES = tests/tool-parse.c tools/parse.c tools/parse.h
tests_tool_parse_CFLAGS = $(TESTS_CFLAGS)
tests_tool_parse_LDADD = $(CHECK_LIBS)

# shell tests: executable in git and in the tarball
EXTRA_DIST += tests/tool-lib.sh tests/tool-cmd.sh tests/tool-daemon.sh
TESTS += tests/tool-parse tests/tool-cmd.sh tests/tool-daemon.sh

# tool-daemon.sh compiles the example against the installed library: with
# the flags a sanitizer build links that library with.
AM_TESTS_ENVIRONMENT += \
	TOOL_CFLAGS="$(SANITIZER_CFLAGS)"; TOOL_LDFLAGS="$(SANITIZER_LDFLAGS)"; \
	export TOOL_CFLAGS TOOL_LDFLAGS;
