#!/bin/sh
# SPDX-License-Identifier: MIT
# The README's five-minute tour, run as a reader would: the fenced sh blocks of its "A five-minute tour"
# section, in order, in one shell (cd carries over), in a temporary folder, with this build's qmigrate-cli
# first on PATH and its share/qmigrate standing in for /usr/share/qmigrate. Any failing command fails the test.
#   test-readme-tour.sh BUILD_DIR SOURCE_DIR
set -eu

build=$(cd "$1" && pwd)
readme="$2/README.md"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

awk '
    /^## / { section = ($0 == "## A five-minute tour") }
    section && /^```sh$/ { block = 1; next }
    section && block && /^```$/ { block = 0; print ""; next }
    section && block { print }
' "$readme" | sed "s|/usr/share/qmigrate|$build/share/qmigrate|g" > "$work/tour.sh"
[ "$(grep -c 'qmigrate-cli' "$work/tour.sh")" -ge 10 ] || { cat "$work/tour.sh"; echo "FAIL: no tour found"; exit 1; }

mkdir "$work/reader"
cd "$work/reader"
env -i PATH="$build/app:/usr/bin:/bin" HOME="$work" LANG=C.UTF-8 sh -ex "$work/tour.sh"
echo "the README tour ran: $(grep -c . "$work/tour.sh") lines"
