# lib/kill.mk - this area's rules (HACKING.md names the owner)
