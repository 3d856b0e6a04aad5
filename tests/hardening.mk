# tests/hardening.mk - this area's tests
