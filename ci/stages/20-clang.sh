# clang, -Werror: build and make check (10-gcc.sh's steps, no distcheck).
STAGE_CC=clang STAGE_CXX=clang++ STAGE_NO_DISTCHECK=1 \
	exec bash "$1/ci/stages/10-gcc.sh" "$@"
