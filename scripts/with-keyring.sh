#!/usr/bin/env bash
# Runs a command inside its own D-Bus session with a real gnome-keyring Secret Service,
# unlocked with a throwaway password: how Guichet's tests reach the OS keyring headless.
set -euo pipefail
if [ "${GUICHET_IN_KEYRING_SESSION:-}" = 1 ]; then exec "$@"; fi
export GUICHET_IN_KEYRING_SESSION=1
# A private keyring directory so tests never touch a person's own keyring.
export XDG_DATA_HOME="${XDG_DATA_HOME_FOR_TESTS:-$(mktemp -d)}"
# The daemon answers before it owns its bus name and has written its keyring: a client that
# calls first has D-Bus start a second daemon, which finds the keyring half-written and asks for
# a password on the display (a hang under Xvfb), or tests see "locked collection". So: no
# display for the daemon or the probe (a prompt fails instead of waiting), wait until the name
# is owned, then until an item can be stored.
exec dbus-run-session -- bash -c '
  printf %s guichet-test | env -u DISPLAY -u WAYLAND_DISPLAY \
    gnome-keyring-daemon --unlock --components=secrets >/dev/null
  for _ in $(seq 1 100); do
    if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
        org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null \
        | grep -q "boolean true"; then
      break
    fi
    sleep 0.1
  done
  for _ in $(seq 1 100); do
    if printf ready | env -u DISPLAY -u WAYLAND_DISPLAY \
        secret-tool store --label=guichet-ready guichet ready 2>/dev/null; then
      secret-tool clear guichet ready 2>/dev/null || true
      break
    fi
    sleep 0.1
  done
  exec "$@"' bash "$@"
