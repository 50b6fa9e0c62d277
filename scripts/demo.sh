#!/usr/bin/env bash
# Install citydiplomacy into ./.venv and serve the illustrative Los Angeles demo
# at http://127.0.0.1:8000 on an embedded SQLite database. Extra arguments go to
# `citydip demo` (e.g. --port 8080, --database postgresql://...).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
. .venv/bin/activate
pip install --quiet --disable-pip-version-check -e .
exec citydip demo --database "${CITYDIPLOMACY_DATABASE_URL:-sqlite:///$PWD/demo.sqlite3}" "$@"
