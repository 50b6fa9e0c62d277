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
UV_VERSION="0.13.10"

[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
digest() { cat "requirements/$1.txt" pyproject.toml | sha256sum | cut -d' ' -f1; }
installed() { [ "$(cat ".venv/.installed-$1" 2>/dev/null)" = "$(digest "$1")" ]; }

if installed "$lane" || { [ "$lane" = app ] && installed test; }; then
  exit 0
fi
echo "Installing the locked Python packages (requirements/$lane.txt) into .venv ..."
# uv installs the same pins several times faster than pip; pip is the fallback. uv reads
# no pip configuration, so pip's find-links (where a machine keeps wheels such as
# PyTorch's CPU build) are passed on.
pip_quiet=(--quiet --disable-pip-version-check)
uv_args=()
for link in $(.venv/bin/python -m pip config get global.find-links 2>/dev/null || true); do
  uv_args+=(--find-links "$link")
done
if .venv/bin/python -m pip install "${pip_quiet[@]}" "uv==$UV_VERSION" \
   && .venv/bin/uv pip install --quiet --python .venv/bin/python "${uv_args[@]}" -r "requirements/$lane.txt" \
   && .venv/bin/uv pip install --quiet --python .venv/bin/python --no-deps -e .; then
  :
else
  echo "uv could not install the lock; installing with pip instead"
  .venv/bin/python -m pip install "${pip_quiet[@]}" -r "requirements/$lane.txt"
  .venv/bin/python -m pip install "${pip_quiet[@]}" --no-deps -e .
fi
digest "$lane" > ".venv/.installed-$lane"
