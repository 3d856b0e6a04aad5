# tests/port.mk - this area's rules (HACKING.md names the owner)
