# tests/kill.mk - this area's tests
