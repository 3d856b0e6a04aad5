# tests/man.mk - the manual's checks (issue 3; HACKING.md, "Manual")
#
# They walk every page of $(dist_man_MANS), whichever area added it, through
# tests/man-pages.list, which make writes from that variable.

MAN_TESTS = \
	tests/man-lint.sh \
	tests/man-symbols.sh \
	tests/man-xref.sh \
	tests/man-errno-coverage-selftest.sh \
	tests/man-errno-coverage.sh \
	tests/man-example.sh \
	tests/man-install.sh
TESTS += $(MAN_TESTS)
EXTRA_DIST += $(MAN_TESTS) \
	tests/man-common.sh \
	tests/errno-coverage.sh \
	tests/errno-not-provoked.txt \
	tests/man-extract-example.sh

tests/man-pages.list: Makefile
	$(AM_V_GEN)$(MKDIR_P) tests && \
	for p in $(dist_man_MANS); do echo "$$p"; done > $@-t && mv $@-t $@
CLEANFILES += tests/man-pages.list
$(MAN_TESTS:.sh=.sh.log): tests/man-pages.list

# The EXAMPLES programs of the pages, extracted from them and built like a
# reader would: the header alone (no config.h), linked with the library.
# tests/man-example.sh runs them.  process_mrelease(2)'s:
check_PROGRAMS += tests/process_mrelease-example
nodist_tests_process_mrelease_example_SOURCES = \
	tests/process_mrelease-example.c
tests_process_mrelease_example_CPPFLAGS = -I$(top_srcdir)/include
tests_process_mrelease_example_LDADD = lib/libmrelease.la
tests/process_mrelease-example.c: $(srcdir)/man/process_mrelease.2 \
		$(srcdir)/tests/man-extract-example.sh
	$(AM_V_GEN)$(MKDIR_P) tests && \
	$(SHELL) $(srcdir)/tests/man-extract-example.sh \
		$(srcdir)/man/process_mrelease.2 process_mrelease.c > $@-t && \
	mv $@-t $@
CLEANFILES += tests/process_mrelease-example.c

# The same for mrelease_version(3).
check_PROGRAMS += tests/mrelease_version-example
nodist_tests_mrelease_version_example_SOURCES = \
	tests/mrelease_version-example.c
tests_mrelease_version_example_CPPFLAGS = -I$(top_srcdir)/include
tests_mrelease_version_example_LDADD = lib/libmrelease.la
tests/mrelease_version-example.c: $(srcdir)/man/mrelease_version.3 \
		$(srcdir)/tests/man-extract-example.sh
	$(AM_V_GEN)$(MKDIR_P) tests && \
	$(SHELL) $(srcdir)/tests/man-extract-example.sh \
		$(srcdir)/man/mrelease_version.3 mrelease_version.c > $@-t && \
	mv $@-t $@
CLEANFILES += tests/mrelease_version-example.c
