#!/usr/bin/env bash
# Runs a command inside its own D-Bus session with a real gnome-keyring Secret Service: how
# Guichet's tests reach the OS keyring headless.
set -euo pipefail
if [ "${GUICHET_IN_KEYRING_SESSION:-}" = 1 ]; then exec "$@"; fi
export GUICHET_IN_KEYRING_SESSION=1
# A private keyring directory so tests never touch a person's own keyring.
export XDG_DATA_HOME="${XDG_DATA_HOME_FOR_TESTS:-$(mktemp -d)}"
# The test keyring is gnome-keyring's unencrypted format (throwaway secrets only): D-Bus starts
# the daemon on first use and, if it ever exits mid-run, starts it again on the next call with
# every item still there. A password-protected keyring would make that second daemon ask for
# the password on the display, which under Xvfb waits forever (a whole CI run was lost so).
keyrings="$XDG_DATA_HOME/keyrings"
mkdir -p -m 700 "$keyrings"
if [ ! -e "$keyrings/login.keyring" ]; then
  printf '[keyring]\ndisplay-name=login\nctime=0\nmtime=0\nlock-on-idle=false\nlock-after=false\n' \
    >"$keyrings/login.keyring"
  printf login >"$keyrings/default"
  chmod 600 "$keyrings/login.keyring" "$keyrings/default"
fi
# The bus, and so every service it starts (the daemon, a password prompter), gets no display:
# should anything still want to prompt, it fails at once instead of waiting. The command itself
# gets the display back.
display="${DISPLAY:-}"
exec env -u DISPLAY -u WAYLAND_DISPLAY GUICHET_DISPLAY="$display" dbus-run-session -- bash -c '
  if [ -n "$GUICHET_DISPLAY" ]; then export DISPLAY="$GUICHET_DISPLAY"; fi
  unset GUICHET_DISPLAY
  # One store proves the Secret Service answers before the command starts.
  for _ in $(seq 1 50); do
    if printf ready | timeout 10 secret-tool store --label=guichet-ready guichet ready 2>/dev/null; then
      secret-tool clear guichet ready 2>/dev/null || true
      exec "$@"
    fi
    sleep 0.2
  done
  echo "with-keyring: the Secret Service (gnome-keyring) never answered" >&2
  exit 1' bash "$@"
