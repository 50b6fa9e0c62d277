#!/usr/bin/env bash
# The whole test suite from a fresh clone: Debian packages, the local PostgreSQL,
# ./.venv from the lock (requirements/test.txt), the lint and lock checks, then every test
# on SQLite and PostgreSQL on both cores.
#
#   ./scripts/test.sh            the whole suite (what CI runs)
#   ./scripts/test.sh --quick    the quick lane: domain, service and CLI tests on SQLite
#   ./scripts/test.sh -k audit   extra arguments go to pytest (-n 0 runs in one process)
set -euo pipefail
cd "$(dirname "$0")/.."

quick=0
if [ "${1:-}" = "--quick" ]; then quick=1; shift; fi

# System packages (Debian): installed as root, otherwise the command to run is printed.
bash scripts/system-packages.sh test

# PostgreSQL: the server backend the full suite also runs against (docs/testing.md).
if [ $quick -eq 0 ] && command -v pg_isready >/dev/null 2>&1 && ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  if command -v pg_ctlcluster >/dev/null 2>&1; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
    for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
  fi
fi

# Python packages, exactly as locked (reinstalled only when the lock changes).
bash scripts/install.sh test
. .venv/bin/activate

if [ $quick -eq 1 ]; then
  export CITYDIPLOMACY_TEST_BACKENDS=sqlite
  exec python -m pytest -m quick -p no:cacheprovider "$@"
fi

# Static checks: the lock matches pyproject.toml; ruff's lint and format pass.
python scripts/lock.py --check
ruff check .
ruff format --check .

exec python -m pytest -n 2 --durations=20 "$@"
