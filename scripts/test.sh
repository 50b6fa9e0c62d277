#!/usr/bin/env bash
# Install everything the test suite needs into ./.venv, make sure the local
# PostgreSQL is running, and run the whole suite on SQLite and PostgreSQL.
# Extra arguments go to pytest (e.g. -k audit, -x).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"

# PostgreSQL: the server backend the suite also runs against (see docs/testing.md).
if command -v pg_isready >/dev/null 2>&1 && ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  if command -v pg_ctlcluster >/dev/null 2>&1; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
    for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
  fi
fi

[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
. .venv/bin/activate
pip install --quiet --disable-pip-version-check -e ".[test,semantic]"

exec python -m pytest "$@"
