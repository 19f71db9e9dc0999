#!/usr/bin/env bash
# Runs the command given as arguments with a real, private OS keyring for the tests.
#
# On Linux without one already, it starts a private D-Bus session with a gnome-keyring unlocked
# with a throwaway password and a fresh XDG_DATA_HOME (a private 0700 temp folder, removed at the
# end), so the keychain tests use a real keyring and never touch the developer's own. Elsewhere
# (macOS, Windows, no dbus/gnome-keyring) it runs the command as it is.
set -uo pipefail

if [[ "$(uname)" == "Linux" && -z "${CERTDESK_KEYRING_SESSION:-}" ]] && command -v dbus-run-session >/dev/null \
  && command -v gnome-keyring-daemon >/dev/null; then
  export CERTDESK_KEYRING_SESSION=1
  XDG_DATA_HOME="$(mktemp -d -t certdesk-xdg-XXXXXX)"
  export XDG_DATA_HOME
  dbus-run-session -- bash -c 'echo -n test | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec "$@"' _ "$@"
  status=$?
  rm -rf "$XDG_DATA_HOME"
  exit $status
fi
# Decided once: the command (and what it starts) does not look for a keyring session again.
export CERTDESK_KEYRING_SESSION=1
exec "$@"
