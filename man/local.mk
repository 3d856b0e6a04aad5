# man/local.mk - the manual (issue 3): the system-call pages, libmrelease(7)
#
# Pages are installed by their file name's section.  Aliases are one-line
# ".so manN/target.N" pages.  Never install pidfd_open.2 or
# pidfd_send_signal.2 (the Linux man-pages project owns them), and no
# section-3 page named after pidfd_open or process_mrelease either: man-db
# searches section 3 before section 2, so such a page would hide the
# kernel's page from "man pidfd_open".  tests/man.mk checks every page.

dist_man_MANS += \
	man/process_mrelease.2 \
	man/mrelease_pidfd_open.3 \
	man/mrelease_pidfd_kill.3 \
	man/mrelease_process_mrelease.3 \
	man/mrelease_version.3 \
	man/pidfd_kill.3 \
	man/MRELEASE_CHECK_VERSION.3 \
	man/libmrelease.7
