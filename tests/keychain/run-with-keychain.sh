#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs a command against a real, private keychain: a D-Bus session bus of its own (dbus-run-session) with
# gnome-keyring's Secret Service on it, unlocked, its keyrings in a throwaway HOME. Nothing of the user's
# keychain or session is touched, and parallel runs never share a keyring.
#   run-with-keychain.sh COMMAND [ARGS...]
# Needs the Debian packages gnome-keyring, dbus, dbus-x11 (packaging/debian-build-deps.txt). A missing tool is
# an error (exit 2), never a skip.
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 COMMAND [ARGS...]" >&2
    exit 2
fi
for tool in dbus-run-session gnome-keyring-daemon; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "$0: $tool is not installed (Debian packages: gnome-keyring dbus dbus-x11)" >&2
        exit 2
    fi
done

scratch=$(mktemp -d "${TMPDIR:-/tmp}/qmigrate-keychain.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/home" "$scratch/runtime"
chmod 700 "$scratch/runtime"

# The inner shell starts the daemon on the private bus (it creates and unlocks a "login" keyring with the
# password on stdin), then replaces itself with the command; dbus-run-session ends the bus (and with it the daemon)
# when the command exits and passes its exit code on.
export HOME="$scratch/home" XDG_DATA_HOME="$scratch/home/.local/share" XDG_RUNTIME_DIR="$scratch/runtime"
unset DISPLAY WAYLAND_DISPLAY
status=0
dbus-run-session -- bash -c '
    set -e
    echo -n qmigrate-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null
    exec "$@"
' run-with-keychain "$@" || status=$?
exit "$status"
