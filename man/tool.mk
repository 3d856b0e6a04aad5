# man/tool.mk - mrelease(1)
dist_man_MANS += man/mrelease.1
