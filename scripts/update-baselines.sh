#!/usr/bin/env bash
# Re-runs every scenario of the library with the baseline settings (seed 1, 10 replications, local threads) and
# stores each run's summary.json and replications.csv under results/baselines/<file name>/. Run it when a change of
# the model or of a scenario is meant to move the results, and commit the new baselines with that change.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release sims/CrisisSim.Cli -nologo -v q > /dev/null
cli=(dotnet sims/CrisisSim.Cli/bin/Release/net10.0/crisissim.dll)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for file in scenarios/library/*.yaml; do
  name=$(basename "$file" .yaml)
  "${cli[@]}" run "$file" --seed 1 --replications 10 --host threads --format summary --out "$tmp/$name" > /dev/null
  run=$(dirname "$(find "$tmp/$name" -name summary.json)")
  mkdir -p "results/baselines/$name"
  cp "$run/summary.json" "$run/replications.csv" "results/baselines/$name/"
  echo "results/baselines/$name"
done
