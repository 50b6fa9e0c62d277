#!/usr/bin/env bash
# The Debian packages citydiplomacy needs, installed if any is missing.
#   scripts/system-packages.sh app    what the web app needs: Pango/HarfBuzz (WeasyPrint PDFs),
#                                      Cairo (CairoSVG map PNGs) and a font
#   scripts/system-packages.sh test   the app's, plus poppler-utils (the report tests look at
#                                      rendered pages) and Chromium (the browser tests)
# As root with apt it installs them; otherwise it prints the one command to run first and
# stops with an error, so a first run never fails half-way for a missing library.
set -euo pipefail
lane="${1:-test}"
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libcairo2 fonts-dejavu-core)
[ "$lane" = "test" ] && packages+=(poppler-utils chromium)

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "Not a Debian-based system: make sure these (or your system's equivalents) are installed: ${packages[*]}" >&2
  exit 0
fi
need=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "Missing Debian packages. Run this first, then try again:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${need[*]}" >&2
  exit 1
fi
