# tests/man.mk - this area's rules (HACKING.md names the owner)
