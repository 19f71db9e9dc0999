/**
 * `--exit-on-stdin-close`, for a server started by a supervisor that holds a pipe to its stdin (the
 * end-to-end suite's Playwright runner). When that pipe closes the supervisor is gone (it ended, was
 * killed with SIGKILL, or its terminal was closed) and nobody is left to stop this process, so it
 * stops itself: no port, data folder or keychain namespace stays taken by a run that no longer exists.
 *
 * Opt-in only: a server under systemd or started from a shell with `< /dev/null` sees its stdin end
 * at once and must keep running.
 */
export function exitOnStdinClose(stop: () => void, graceMs = 5_000): void {
  let closing = false;
  const closed = (): void => {
    if (closing) return;
    closing = true;
    // A stop that waits on a client nobody will finish (a dead browser's open connection) must not
    // keep the process alive: after the grace period it ends anyway.
    setTimeout(() => process.exit(1), graceMs).unref();
    stop();
  };
  process.stdin.on('end', closed).on('close', closed).on('error', closed).resume();
}
