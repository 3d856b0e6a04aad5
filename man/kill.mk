# man/kill.mk - kill and reap (1.1): the section 3 pages, one per exported
# name (the aliases are .so pages)
KILL_MAN_PAGES = \
	man/mrelease_probe.3 \
	man/mrelease_kill.3 \
	man/mrelease_reaper_new.3
KILL_MAN_ALIASES = \
	man/mrelease_kill_pid.3 \
	man/mrelease_kill_cgroup.3 \
	man/mrelease_reaper_fd.3 \
	man/mrelease_reaper_submit.3 \
	man/mrelease_reaper_read.3 \
	man/mrelease_reaper_destroy.3
dist_man_MANS += $(KILL_MAN_PAGES) $(KILL_MAN_ALIASES)
