#!/usr/bin/env bash
# Runs a command inside its own D-Bus session with a real gnome-keyring Secret Service,
# unlocked with a throwaway password: how Guichet's tests reach the OS keyring headless.
set -euo pipefail
if [ "${GUICHET_IN_KEYRING_SESSION:-}" = 1 ]; then exec "$@"; fi
export GUICHET_IN_KEYRING_SESSION=1
# A private keyring directory so tests never touch a person's own keyring.
export XDG_DATA_HOME="${XDG_DATA_HOME_FOR_TESTS:-$(mktemp -d)}"
# The daemon creates and unlocks its keyring after it answers: tests that start at once race it
# ("locked collection", "unlock prompt was dismissed"). Wait until an item can be stored.
exec dbus-run-session -- bash -c '
  printf %s guichet-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  for _ in $(seq 1 100); do
    if printf ready | secret-tool store --label=guichet-ready guichet ready 2>/dev/null; then
      secret-tool clear guichet ready 2>/dev/null || true
      break
    fi
    sleep 0.1
  done
  exec "$@"' bash "$@"
