#!/usr/bin/env bash
# Opens report.html files in headless Chromium and checks them: no console or browser error, no request leaving the
# file, every image decoded, the KPI and staffing tables present.
#
#   tests/browser/check-report.sh                 # the report of a short covid-hotline run, and a broken page that must fail
#   tests/browser/check-report.sh results/covid-hotline/seed1-r10-*/report.html   # also a report of your own
#
# Needs Chromium (Debian: apt-get install chromium; or CRISISSIM_CHROMIUM=/path/to/browser).
set -euo pipefail
cd "$(dirname "$0")/../.."
report=""
if [ $# -gt 0 ]; then
  report="$(realpath "$1")"
fi
CRISISSIM_CHECK_REPORT="$report" dotnet test tests/CrisisSim.Reporting.Tests --filter "FullyQualifiedName~CrisisSim.Reporting.Tests.Browser"
