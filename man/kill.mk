# man/kill.mk - this area's rules (HACKING.md names the owner)
# The kill-and-reap pages (libmrelease 1.1); aliases are ".so" pages.
dist_man_MANS += \
	man/mrelease_probe.3 \
	man/mrelease_kill.3 \
	man/mrelease_kill_pid.3 \
	man/mrelease_kill_cgroup.3 \
	man/mrelease_reaper_new.3 \
	man/mrelease_reaper_fd.3 \
	man/mrelease_reaper_submit.3 \
	man/mrelease_reaper_read.3 \
	man/mrelease_reaper_destroy.3
