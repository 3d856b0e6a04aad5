# tools/local.mk - mrelease(1) (issue 5)

bin_PROGRAMS += tools/mrelease
tools_mrelease_SOURCES = tools/mrelease.c tools/parse.c tools/parse.h
tools_mrelease_LDADD = lib/libmrelease.la
