#!/usr/bin/env bash
# Runs a command inside a private desktop session: its own D-Bus session bus,
# an unlocked gnome-keyring (a real Secret Service for keytar), and an Xvfb
# display (a real X11 clipboard). HOME is a fresh folder per run, so an old
# login keyring with another password can never get in the way.
# If the session is already set up (KEYWARD_DESKTOP_SESSION=1), just runs the command.
set -euo pipefail
if [ "${KEYWARD_DESKTOP_SESSION:-}" = 1 ]; then exec "$@"; fi

for tool in dbus-run-session gnome-keyring-daemon Xvfb xclip; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "with-desktop-session: $tool is missing. On Debian: sudo apt-get install dbus gnome-keyring libsecret-1-dev xvfb xclip dbus-x11" >&2
    exit 1
  fi
done

session_home=$(mktemp -d -t keyward-session-XXXXXX)
export KEYWARD_REAL_HOME="$HOME"
export KEYWARD_SESSION_HOME="$session_home"
export XDG_DATA_HOME="$session_home/data" XDG_CONFIG_HOME="$session_home/config" XDG_RUNTIME_DIR="$session_home/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_RUNTIME_DIR"; chmod 700 "$XDG_RUNTIME_DIR"

display=":$((90 + RANDOM % 400))"
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
cleanup() { kill "$xvfb_pid" 2>/dev/null || true; rm -rf "$session_home"; }
trap cleanup EXIT
export DISPLAY="$display"
for _ in $(seq 1 50); do xdpyinfo -display "$display" >/dev/null 2>&1 && break; [ -e "/tmp/.X11-unix/X${display#:}" ] && break; sleep 0.1; done

export KEYWARD_DESKTOP_SESSION=1
# The keyring's own password only protects this throwaway session's keyring.
dbus-run-session -- bash -c '
  echo -n "keyward-test-session" | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1
  exec "$@"' bash "$@"
