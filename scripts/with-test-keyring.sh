#!/usr/bin/env bash
# Runs the command given as arguments with a real, private OS keyring for the tests.
#
# On Linux without one already, it starts a private D-Bus session whose Secret Service is a
# gnome-keyring unlocked with a throwaway password, its data in a fresh XDG_DATA_HOME (a private 0700
# temp folder, removed at the end), so the keychain tests use a real keyring and never touch the
# developer's own. Elsewhere (macOS, Windows, no dbus/gnome-keyring) it runs the command as it is.
#
# The keyring is started by the session bus itself, from a service file of this session that comes
# before the system's: should the daemon ever end mid-run, the next keychain call starts it again,
# unlocked, on the same keyring file, and says so on stderr. (The system's own service file would
# start it locked, and a locked keyring with no display refuses every call.)
set -uo pipefail

if [[ "$(uname)" == "Linux" && -z "${CERTDESK_KEYRING_SESSION:-}" ]] && command -v dbus-run-session >/dev/null \
  && command -v gnome-keyring-daemon >/dev/null && command -v dbus-send >/dev/null; then
  export CERTDESK_KEYRING_SESSION=1
  XDG_DATA_HOME="$(mktemp -d -t certdesk-xdg-XXXXXX)"
  export XDG_DATA_HOME
  session="$XDG_DATA_HOME/test-keyring-session"
  mkdir -m 700 "$session" "$session/services"

  cat >"$session/keyring-daemon.sh" <<'DAEMON'
#!/usr/bin/env bash
# Started by the session bus when the Secret Service is asked for and nobody holds it.
starts="$(dirname "$0")/starts"
echo x >>"$starts"
if [[ $(wc -l <"$starts") -gt 1 ]]; then echo "▶ chaveiro de teste: gnome-keyring iniciado de novo (o anterior saiu)" >&2; fi
echo -n test | gnome-keyring-daemon --unlock --foreground --components=secrets >/dev/null
status=$?
echo "▶ chaveiro de teste: gnome-keyring saiu (código $status)" >&2
exit $status
DAEMON
  printf '[D-BUS Service]\nName=org.freedesktop.secrets\nExec=/usr/bin/env bash %s\n' "$session/keyring-daemon.sh" \
    >"$session/services/org.freedesktop.secrets.service"
  cat >"$session/session.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <servicedir>$session/services</servicedir>
  <include>/usr/share/dbus-1/session.conf</include>
</busconfig>
CONF

  # The first call starts the keyring and returns once it holds the name, so the command below finds
  # it unlocked from its first keychain call. The session runs as a process group of its own (job
  # control): a run stopped with SIGTERM, SIGINT or SIGHUP stops the whole group — the command and
  # what it started, the bus and the keyring — instead of leaving them running without it.
  set -m
  dbus-run-session --config-file="$session/session.conf" -- bash -c '
    dbus-send --session --print-reply=literal --dest=org.freedesktop.secrets /org/freedesktop/secrets \
      org.freedesktop.DBus.Peer.Ping >/dev/null || { echo "▶ chaveiro de teste: gnome-keyring não iniciou" >&2; exit 1; }
    exec "$@"' _ "$@" &
  session_pid=$!
  set +m
  for signal in TERM INT HUP; do
    trap "kill -$signal -- -$session_pid 2>/dev/null" "$signal"
  done
  # `wait` returns when a trapped signal arrives: wait again until the group has ended. Every second
  # it also looks at whoever started it: `npm test` runs this through `sh -c`, and a SIGTERM to npm
  # ends that sh alone, so a parent gone means the run was stopped.
  parent=$PPID
  status=0
  while kill -0 "$session_pid" 2>/dev/null; do
    if ((BASH_VERSINFO[0] * 100 + BASH_VERSINFO[1] < 501)); then # no `wait -n -p` before bash 5.1
      wait "$session_pid"
      status=$?
      continue
    fi
    sleep 1 &
    wait -n -p ended "$session_pid" $!
    finished=$?
    if [[ "${ended:-}" == "$session_pid" ]]; then status=$finished; break; fi
    if ! kill -0 "$parent" 2>/dev/null; then kill -TERM -- -"$session_pid" 2>/dev/null; fi
  done
  rm -rf "$XDG_DATA_HOME"
  exit $status
fi
# Decided once: the command (and what it starts) does not look for a keyring session again.
export CERTDESK_KEYRING_SESSION=1
exec "$@"
