# lib/kill.mk - kill and reap (1.1): this area's rules (HACKING.md names the owner)

lib_libmrelease_la_SOURCES += \
	lib/kill-internal.h \
	lib/procfs.h \
	lib/procfs.c \
	lib/kill.c \
	lib/cgroup.c \
	lib/reaper.c
