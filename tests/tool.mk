# tests/tool.mk - this area's tests
