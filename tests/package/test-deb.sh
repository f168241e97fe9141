#!/bin/sh
# SPDX-License-Identifier: MIT
# The Debian package as a user gets it: cpack builds it from this build tree (into a folder of its own, so
# `make package`'s file is left alone), dpkg -x unpacks it into a temporary root, and its programs run from
# there with a home and a working directory in which the source tree is not visible. lintian then checks
# the package; any error (E:) fails the test.
#   test-deb.sh BUILD_DIR
set -eu

build=$(cd "$1" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# --- the package ---------------------------------------------------------------------------------------------
(cd "$build" && cpack -G DEB -B "$work/cpack") > "$work/cpack.log" 2>&1 || { cat "$work/cpack.log"; fail "cpack"; }
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")
deb="$work/cpack/qmigrate_${version}_$(dpkg --print-architecture).deb"
[ -f "$deb" ] || { ls "$work/cpack"; fail "no Debian-style file name $deb"; }
dpkg-deb -I "$deb"

depends=$(dpkg-deb -f "$deb" Depends)
for package in libqt6sql6-sqlite libqt6sql6-psql libqt6sql6-mysql libqt6svg6 libqt6widgets6 libc6; do
    printf '%s\n' "$depends" | grep -q "\\b$package\\b" || fail "Depends lacks $package: $depends"
done
[ "$(dpkg-deb -f "$deb" Recommends)" = python3-alembic ] || fail "Recommends: $(dpkg-deb -f "$deb" Recommends)"

root="$work/root"
dpkg -x "$deb" "$root"
usr="$root/usr"
for file in bin/qmigrate bin/qmigrate-cli share/doc/qmigrate/copyright share/doc/qmigrate/changelog.gz \
    share/man/man1/qmigrate.1.gz share/man/man1/qmigrate-cli.1.gz share/applications/qmigrate.desktop \
    share/metainfo/io.github.qmigrate.metainfo.xml share/icons/hicolor/scalable/apps/qmigrate.svg \
    share/bash-completion/completions/qmigrate-cli share/zsh/vendor-completions/_qmigrate-cli \
    share/qmigrate/qmigrate_alembic_driver.py share/qmigrate/examples/alembic.ini \
    share/qmigrate/examples/script.sql.tmpl; do
    [ -f "$usr/$file" ] || fail "the package has no /usr/$file"
done
[ "$(ls "$usr/share/qmigrate/examples/versions" | wc -l)" -ge 10 ] || fail "the example's revisions are missing"
if find "$root" -name '*.db' | grep -q .; then fail "the package holds a database: $(find "$root" -name '*.db')"; fi
file -L "$usr/bin/qmigrate" "$usr/bin/qmigrate-cli" | grep -q 'not stripped' && fail "unstripped binary"
# Every command is in the CLI's man page.
man=$(zcat "$usr/share/man/man1/qmigrate-cli.1.gz")
for command in $("$usr/bin/qmigrate-cli" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p'); do
    printf '%s\n' "$man" | grep -qx ".SS $command" || fail "qmigrate-cli.1 has no section for $command"
done

# --- the installed programs, away from the source tree -----------------------------------------------------
home="$work/home"
elsewhere="$work/elsewhere"
mkdir -p "$home" "$elsewhere"
cd "$elsewhere"
user_env() {
    env -i PATH=/usr/bin:/bin HOME="$home" XDG_DATA_HOME="$home/data" XDG_CONFIG_HOME="$home/config" \
        XDG_RUNTIME_DIR="$home/runtime" LANG=C.UTF-8 "$@"
}
mkdir -p "$home/runtime"
chmod 700 "$home/runtime"

# --version and --help need no display: no DISPLAY, no QT_QPA_PLATFORM.
[ "$(user_env "$usr/bin/qmigrate-cli" --version)" = "qmigrate-cli $version" ] || fail "qmigrate-cli --version"
[ "$(user_env "$usr/bin/qmigrate" --version)" = "qmigrate $version" ] || fail "qmigrate --version"
user_env "$usr/bin/qmigrate" --help | grep -q -- '--example' || fail "qmigrate --help"
user_env "$usr/bin/qmigrate-cli" --help | grep -q '^Commands:' || fail "qmigrate-cli --help"
user_env "$usr/bin/qmigrate-cli" history --help | grep -q '^Usage: qmigrate-cli history' || fail "history --help"

# The CLI on a copy of the installed example (its SQLite file lands next to the alembic.ini).
cp -r "$usr/share/qmigrate/examples" "$work/example"
history=$(user_env "$usr/bin/qmigrate-cli" -c "$work/example/alembic.ini" history)
printf '%s\n' "$history" | grep -q '^<base> -> cf60bc0183a4, create locations table$' ||
    fail "history of the installed example: $history"
user_env "$usr/bin/qmigrate-cli" -c "$work/example/alembic.ini" upgrade head > /dev/null 2>&1 || fail "upgrade"
user_env "$usr/bin/qmigrate-cli" -c "$work/example/alembic.ini" current | grep -q '9abc688b6311 (head)' ||
    fail "current after upgrade"

# The GUI's first start, offscreen: it copies the example into the user's data folder and opens that copy.
# An opened project is remembered as the most recent one in the settings: that is the sign it loaded.
copy="$home/data/qmigrate/qmigrate/example"
settings="$home/config/qmigrate/qmigrate.conf"
user_env QT_QPA_PLATFORM=offscreen "$usr/bin/qmigrate" --example > "$work/gui.log" 2>&1 &
gui=$!
waited=0
until grep -qF "$copy/alembic.ini" "$settings" 2> /dev/null; do
    if ! kill -0 "$gui" 2> /dev/null; then cat "$work/gui.log"; fail "the GUI ended before opening the example"; fi
    [ "$waited" -lt 300 ] || { kill "$gui"; cat "$work/gui.log"; fail "the GUI did not open $copy within 30 s"; }
    sleep 0.1
    waited=$((waited + 1))
done
kill "$gui"
wait "$gui" 2> /dev/null || true
[ -f "$copy/alembic.ini" ] && [ -w "$copy/alembic.ini" ] || fail "no writable copy of the example in $copy"
[ "$(ls "$copy/versions")" = "$(ls "$usr/share/qmigrate/examples/versions")" ] || fail "incomplete copy"
if grep -q "$(dirname "$build")" "$settings" "$work/gui.log"; then fail "the GUI refers to the source tree"; fi

# --- the bash completion: commands, options and the project's revisions --------------------------------------
complete_words() {
    user_env PATH="$usr/bin:/usr/bin:/bin" bash -c '
        . /usr/share/bash-completion/bash_completion
        . "$0"
        COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
        _qmigrate_cli qmigrate-cli "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
        printf "%s\n" "${COMPREPLY[@]}"' "$usr/share/bash-completion/completions/qmigrate-cli" "$@"
}
[ -f /usr/share/bash-completion/bash_completion ] || fail "bash-completion is not installed (make deps)"
[ "$(complete_words qmigrate-cli hi)" = history ] || fail "bash completion of a command"
complete_words qmigrate-cli upgrade --s | grep -qx -- --sql || fail "bash completion of an option"
revisions=$(complete_words qmigrate-cli -c "$work/example/alembic.ini" show "")
for expected in 9abc688b6311 cf60bc0183a4 telemetry telemetry@head heads; do
    printf '%s\n' "$revisions" | grep -qx "$expected" || fail "bash completion lacks $expected: $revisions"
done
# zsh: that the script parses (its behaviour needs an interactive zsh).
command -v zsh > /dev/null || fail "zsh is not installed (make deps)"
zsh -n "$usr/share/zsh/vendor-completions/_qmigrate-cli" || fail "the zsh completion does not parse"

# --- lintian ---------------------------------------------------------------------------------------------------
lintian --allow-root --tag-display-limit 0 "$deb" > "$work/lintian.log" 2>&1 || true
cat "$work/lintian.log"
if grep -q '^E:' "$work/lintian.log"; then fail "lintian reports errors"; fi
echo "package test passed: $(basename "$deb")"
