#!/usr/bin/env bash
# Create ./.venv and install exactly the locked Python packages, then citydiplomacy itself.
#   scripts/install.sh app    requirements/app.txt: what the web app and the CLI need
#   scripts/install.sh test   requirements/test.txt: the app's, plus the test and semantic
#                             search extras (PyTorch's CPU build)
# Nothing is reinstalled while the lock and pyproject.toml are unchanged; the test set
# includes the app's, so after `test` an `app` install has nothing to do.
# Refresh the lock after changing dependencies in pyproject.toml: python scripts/lock.py
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
lane="${1:?usage: scripts/install.sh app|test}"

[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
digest() { cat "requirements/$1.txt" pyproject.toml | sha256sum | cut -d' ' -f1; }
installed() { [ "$(cat ".venv/.installed-$1" 2>/dev/null)" = "$(digest "$1")" ]; }

if installed "$lane" || { [ "$lane" = app ] && installed test; }; then
  exit 0
fi
echo "Installing the locked Python packages (requirements/$lane.txt) into .venv ..."
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r "requirements/$lane.txt"
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
digest "$lane" > ".venv/.installed-$lane"
