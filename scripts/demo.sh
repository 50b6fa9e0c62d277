#!/usr/bin/env bash
# Install citydiplomacy into ./.venv (exactly the locked versions, requirements/app.txt)
# and serve the illustrative Los Angeles demo at http://127.0.0.1:8000 on an embedded
# SQLite database. Extra arguments go to `citydip demo` (e.g. --port 8080,
# --database postgresql://...).
set -euo pipefail
cd "$(dirname "$0")/.."

# System packages (Debian): the PDF and map libraries and a font.
bash scripts/system-packages.sh app

bash scripts/install.sh app
. .venv/bin/activate
exec citydip demo --database "${CITYDIPLOMACY_DATABASE_URL:-sqlite:///$PWD/demo.sqlite3}" "$@"
