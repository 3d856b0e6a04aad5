# lib/local.mk - the library

# libtool -version-info CURRENT:REVISION:AGE.  Update it only right before a
# release, by these rules (the libtool manual's, in order):
#  1. The source changed at all since the last release: REVISION++.
#  2. An interface was added, removed or changed: CURRENT++, REVISION = 0.
#  3. An interface was added (a new node in libmrelease.map): AGE++.
#  4. An interface was removed or changed: AGE = 0.  Never do this: it
#     breaks every user (a new soname, libmrelease.so.2).
# The soname is libmrelease.so.(CURRENT - AGE) = libmrelease.so.1.
#   1.0.0: 1:0:0    1.1.0: 2:0:1
LIBMRELEASE_CURRENT = 2
LIBMRELEASE_REVISION = 0
LIBMRELEASE_AGE = 1

lib_LTLIBRARIES += lib/libmrelease.la
lib_libmrelease_la_SOURCES = \
	lib/internal.h \
	lib/syscall-nr.h \
	lib/syscall.c
lib_libmrelease_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden
lib_libmrelease_la_LIBADD =
lib_libmrelease_la_LDFLAGS = $(AM_LDFLAGS) \
	-version-info $(LIBMRELEASE_CURRENT):$(LIBMRELEASE_REVISION):$(LIBMRELEASE_AGE) \
	-Wl,--version-script=$(srcdir)/lib/libmrelease.map \
	-Wl,--no-undefined
EXTRA_lib_libmrelease_la_DEPENDENCIES = $(srcdir)/lib/libmrelease.map
EXTRA_DIST += lib/libmrelease.map
