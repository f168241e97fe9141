#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs COMMAND [ARGS...] on the X display $DISPLAY (xvfb-run's) with openbox managing its windows: dialogs
# then get frames and sit over the main window as on a desktop, where bare Xvfb would put them at 0,0.
# Usage: xvfb-run -a bash with-openbox.sh COMMAND [ARGS...]
set -euo pipefail

openbox --sm-disable &
wm=$!
# openbox announces itself on the root window once it manages the screen.
for _ in $(seq 100); do
    if xprop -root _NET_SUPPORTING_WM_CHECK 2>/dev/null | grep -q 'window id'; then
        break
    fi
    sleep 0.1
done

status=0
"$@" || status=$?
kill "$wm"
wait "$wm" || true
exit "$status"
