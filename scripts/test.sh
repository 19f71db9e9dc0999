#!/usr/bin/env bash
# The test command: builds what the tests exercise, runs Vitest (unit + component) and Playwright
# (end-to-end in Chromium through the browser mode), then prints one "N passed, N failed" line.
#
# On Linux without a Secret Service it re-runs itself through scripts/with-test-keyring.sh (a private
# D-Bus session with an unlocked gnome-keyring, XDG_DATA_HOME in a temp dir), so the keychain tests
# use a real keyring and never touch the developer's own.
set -uo pipefail
cd "$(dirname "$0")/.."

# A current Node LTS even where the machine's is older (scripts/current-node.mjs fetches the pinned
# one from the npm registry once); the re-run inside the keyring session inherits the PATH.
if ! node scripts/current-node.mjs --check; then
  node_dir="$(node scripts/current-node.mjs)" || { echo "0 passed, 1 failed"; exit 1; }
  export PATH="$node_dir:$PATH"
fi

if [[ -z "${CERTDESK_KEYRING_SESSION:-}" ]]; then
  exec bash scripts/with-test-keyring.sh bash scripts/test.sh "$@"
fi

echo "▶ Node $(node -v)"

# The run's scratch space (TMPDIR for everything below: the PostgreSQL cluster, PGlite copies, data
# folders, Chromium's profiles, tsx's cache): a private 0700 folder, removed at the end, on a RAM file
# system when Linux has one with room (/dev/shm, tmpfs): the suite's disk writes then cost the
# kernel a quarter less CPU (docs/DECISIONS.md, "The suite's scratch space on a RAM file system").
scratch_base="${TMPDIR:-/tmp}"
if [[ "$(uname)" == "Linux" && -d /dev/shm && -w /dev/shm && "$(stat -f -c %T /dev/shm 2>/dev/null)" == "tmpfs" ]] &&
  (($(df -Pk /dev/shm | awk 'NR == 2 { print $4 }') > 4 * 1024 * 1024)); then
  scratch_base=/dev/shm
fi
scratch="$(mktemp -d "${scratch_base%/}/certdesk-test-XXXXXX")" || { echo "0 passed, 1 failed"; exit 1; }
# As root, the PostgreSQL cluster runs as the `postgres` user (scripts/postgres-cluster.mjs), which must
# pass through this folder to its own (0700) inside: it may enter, not list.
if [[ "$(id -u)" == 0 ]]; then chmod 711 "$scratch"; fi
export TMPDIR="$scratch"
pg_dir=""
cleanup() {
  [[ -n "$pg_dir" ]] && node scripts/postgres-cluster.mjs stop "$pg_dir"
  rm -rf "$scratch"
}
trap cleanup EXIT

mkdir -p reports
# CERTDESK_E2E_SLOT=N (1–9) keeps this end-to-end run's folders and report apart from another's.
e2e_report="reports/playwright$([[ "${CERTDESK_E2E_SLOT:-0}" == 0 ]] || echo "-${CERTDESK_E2E_SLOT}").json"
rm -f reports/vitest.json "$e2e_report"

echo "▶ build (desktop bundle + browser bundle for the browser mode)"
npx electron-vite build --logLevel warn || { echo "0 passed, 1 failed"; exit 1; }
npm run --silent build:browser || { echo "0 passed, 1 failed"; exit 1; }
echo "▶ build (CertDesk Cloud: the production server and the suite's entry with its hooks)"
npm run --silent build -w cloud-service && npm run --silent build:testing -w cloud-service || { echo "0 passed, 1 failed"; exit 1; }

echo "▶ postgresql (a throwaway cluster for the cloud service's tests)"
pg_cluster="$(node scripts/postgres-cluster.mjs start)" || { echo "0 passed, 1 failed"; exit 1; }
pg_dir="$(node -e 'process.stdout.write(JSON.parse(process.argv[1]).dir)' "$pg_cluster")"
CERTDESK_TEST_DATABASE_URL="$(node -e 'process.stdout.write(JSON.parse(process.argv[1]).url)' "$pg_cluster")"
export CERTDESK_TEST_DATABASE_URL

echo "▶ vitest (unit + component)"
npx vitest run --reporter=default --reporter=json --outputFile.json=reports/vitest.json
vitest_status=$?

echo "▶ playwright (end-to-end, Chromium)"
npx playwright test
playwright_status=$?

node scripts/test-summary.mjs
summary_status=$?
if [[ $vitest_status -ne 0 || $playwright_status -ne 0 || $summary_status -ne 0 ]]; then exit 1; fi
