#!/usr/bin/env bash
# Installs the system components the tests use and a fresh machine may lack:
#   chromium           the browser tests open report.html in headless Chromium;
#   fonts-dejavu-core  charts are drawn in DejaVu Sans;
#   redis-server       the cluster tests join real silo processes through a Redis membership table.
# Debian and Ubuntu (apt-get). Run as root, or as a user allowed to run sudo without a password; any other user is
# told the one command to run. Without these components `dotnet test CrisisSim.sln` reports the tests that need them
# as skipped, with the reason; `.ci/run` calls this script and requires them (CRISISSIM_REQUIRE_COMPONENTS=1).
#
#   scripts/provision.sh          # install what is missing
#   scripts/provision.sh --check  # only say what is missing (exit 1 if anything is)
set -uo pipefail

missing=()
have_fonts() {
  for dir in /usr/share/fonts /usr/local/share/fonts "$HOME/.local/share/fonts" "$HOME/.fonts"; do
    if [ -d "$dir" ] && [ -n "$(find "$dir" -name DejaVuSans.ttf -print -quit 2>/dev/null)" ] \
       && [ -n "$(find "$dir" -name DejaVuSans-Bold.ttf -print -quit 2>/dev/null)" ]; then
      return 0
    fi
  done
  return 1
}
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || command -v google-chrome >/dev/null 2>&1 \
  || [ -n "${CRISISSIM_CHROMIUM:-}" ] || missing+=(chromium)
have_fonts || [ -n "${CRISISSIM_FONTS:-}" ] || missing+=(fonts-dejavu-core)
command -v redis-server >/dev/null 2>&1 || [ -n "${CRISISSIM_REDIS:-}" ] || missing+=(redis-server)

if [ ${#missing[@]} -eq 0 ]; then
  echo "provision: every component the tests use is installed (chromium, fonts-dejavu-core, redis-server)" >&2
  exit 0
fi
if [ "${1:-}" = "--check" ]; then
  echo "provision: missing: ${missing[*]}" >&2
  exit 1
fi
install="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  run=(bash -c "$install")
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  run=(sudo -n bash -c "$install")
elif ! command -v apt-get >/dev/null 2>&1; then
  echo "provision: missing ${missing[*]}, and this is not a Debian or Ubuntu machine: install them with its package manager" >&2
  exit 1
else
  echo "provision: missing ${missing[*]}; as a user who may not install packages, run:" >&2
  echo "  sudo bash -c '$install'" >&2
  exit 1
fi
echo "provision: installing ${missing[*]} (apt-get)" >&2
if ! "${run[@]}" >&2; then
  echo "provision: could not install ${missing[*]}" >&2
  exit 1
fi
echo "provision: installed ${missing[*]}" >&2
