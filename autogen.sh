#!/bin/sh
# Regenerate the build system from a git checkout: autoreconf, nothing more.
set -e
cd "$(dirname "$0")"
autoreconf --force --install --symlink
echo "Now run ./configure && make"
