#!/usr/bin/env bash
# Cluster figures on this machine: replications per second of one `crisissim run` on the embedded silo and on a
# cluster of 1, 2 and 3 silo processes joined through Redis, and the cost of losing a silo mid-run (kill -9).
# Needs redis-server and the Release builds: dotnet build -c Release sims/CrisisSim.Cli && dotnet build -c Release sims/CrisisSim.Silo
#   scripts/bench-cluster.sh [SCENARIO] [REPLICATIONS] [RUNS]
# Every process is on this machine and only loopback addresses are used; the silos share its cores, so the figures
# show the cluster's overhead, not its scaling over machines.
set -euo pipefail
cd "$(dirname "$0")/.."
scenario=${1:-scenarios/covid-hotline.yaml}
reps=${2:-400}
runs=${3:-3}
cli=sims/CrisisSim.Cli/bin/Release/net10.0/crisissim.dll
silo=sims/CrisisSim.Silo/bin/Release/net10.0/crisissim-silo.dll
[ -f "$cli" ] && [ -f "$silo" ] || { echo "build first: dotnet build -c Release sims/CrisisSim.Cli && dotnet build -c Release sims/CrisisSim.Silo" >&2; exit 2; }
command -v redis-server >/dev/null || { echo "redis-server is missing (scripts/provision.sh installs it)" >&2; exit 2; }
work=$(mktemp -d)
port=$((20000 + RANDOM % 10000))
redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no >"$work/redis.log" 2>&1 &
redis=$!
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; kill "$redis" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
sleep 0.5
address="redis://127.0.0.1:$port"

start_silos() { # N CLUSTER-ID
  for i in $(seq 1 "$1"); do
    dotnet "$silo" --cluster "$address" --cluster-id "$2" --silo-port $((port + 100 + i)) --gateway-port $((port + 200 + i)) --death-after 3 >"$work/$2-$i.log" 2>&1 &
    pids+=($!)
    until grep -qs "joined cluster" "$work/$2-$i.log"; do sleep 0.1; done
  done
}
stop_silos() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; pids=(); }
timed() { # LABEL ARGS...
  local label=$1; shift
  for r in $(seq 1 "$runs"); do
    local t0 t1
    t0=$(date +%s.%N)
    dotnet "$cli" run "$scenario" -r "$reps" -f summary --out "$work/out" "$@" >"$work/run.out" 2>"$work/run.err"
    t1=$(date +%s.%N)
    awk -v l="$label" -v a="$t0" -v b="$t1" -v n="$reps" 'BEGIN { printf "%s: %.2f s, %.0f replications/s\n", l, b - a, n / (b - a) }'
  done
}

echo "scenario $scenario, $reps replications, $(nproc) cores; load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
timed "embedded silo"
for n in 1 2 3; do
  start_silos "$n" "bench$n"
  timed "cluster of $n silo(s)" --cluster "$address" --cluster-id "bench$n"
  stop_silos
done
start_silos 3 bench-kill
t0=$(date +%s.%N)
dotnet "$cli" run "$scenario" -r "$reps" -f summary --out "$work/out" --cluster "$address" --cluster-id bench-kill >"$work/run.out" 2>"$work/run.err" &
run=$!
sleep 2
kill -9 "${pids[0]}"
t_kill=$(date +%s.%N)
wait "$run"
t1=$(date +%s.%N)
awk -v a="$t0" -v k="$t_kill" -v b="$t1" 'BEGIN { printf "3 silos, one killed 2 s into the run: %.2f s in all, %.2f s from the kill to the end\n", b - a, b - k }'
grep -h "note:\|per silo" "$work/run.err" || true
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
