#!/usr/bin/env bash
# The benchmark of docs/performance.md: the hook under wrk load from a separate process, beside a baseline endpoint
# of the same response size; the hook without prefetch against the local FHIR server; cold start; RSS under load.
#   tests/Benchmarks/run.sh            (needs wrk: apt-get install wrk; Node.js 20 for the FHIR server)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
duration=${BENCH_DURATION:-15s}
source "$repo/tests/Benchmarks/lib.sh"

echo "Publishing Release builds…" >&2
dotnet publish "$repo/src/CrlmCdsHooks.Api" -c Release -o "$work/api" -v quiet >/dev/null
dotnet publish "$repo/tests/Benchmarks/Baseline" -c Release -o "$work/baseline" -v quiet >/dev/null
[ -d "$repo/tests/fhir-server/node_modules" ] || npm ci --prefix "$repo/tests/fhir-server" --no-audit --no-fund >/dev/null

hook="$repo/fhir-profiles/examples/crlm-high-risk.hook.json"
path=/cds-services/crlm-recurrence-liu2021
# Development (unsigned loopback calls; JWT validation is not measured) with the per-client rate limit lifted, so the
# benchmark measures the hook, not the limiter; warnings-only logs, as in production.
export ASPNETCORE_ENVIRONMENT=Development CdsHooks__RateLimitPerSecond=100000000 CdsHooks__RateLimitBurst=100000000 \
       Logging__LogLevel__Default=Warning DOTNET_gcServer=0

for port in 5181 5182 5183 5184 5185 5186; do port_free "$port"; done
start_api() { # port, extra env...
  local port=$1; shift
  env Audit__SqlitePath="$work/audit-$port.db" "$@" dotnet "$work/api/CrlmCdsHooks.Api.dll" --urls "http://127.0.0.1:$port" >"$work/api-$port.log" 2>&1 &
  track $!; echo $!
}
wait_for_hook() { # url, body file
  until curl -sf -o /dev/null -H 'Content-Type: application/json' --data-binary @"$2" "$1"; do sleep 0.01; done
}
load() { # url, connections → "rps p50 p99"
  HOOK_FILE=$hook wrk -t2 -c"$2" -d3s -s "$repo/tests/Benchmarks/post.lua" "$1" >/dev/null   # warm-up
  local out; out=$(HOOK_FILE=$hook wrk -t2 -c"$2" -d"$duration" --latency -s "$repo/tests/Benchmarks/post.lua" "$1")
  if grep -q "Non-2xx" <<<"$out"; then echo "non-2xx answers under load:" >&2; echo "$out" >&2; exit 1; fi
  echo "$(awk '/Requests\/sec/ {print $2}' <<<"$out") $(awk '$1=="50%" {print $2}' <<<"$out" | ms) $(awk '$1=="99%" {print $2}' <<<"$out" | ms)"
}

# Cold start: process start to the first answered hook, median of 3.
colds=()
for i in 1 2 3; do
  t0=$(date +%s%N); pid=$(start_api 5181); wait_for_hook "http://127.0.0.1:5181$path" "$hook"; t1=$(date +%s%N)
  colds+=($(( (t1 - t0) / 1000000 ))); kill "$pid"; wait "$pid" 2>/dev/null || true
done
cold=$(printf '%s\n' "${colds[@]}" | sort -n | sed -n 2p)

# With prefetch: the hook and the baseline, each alone on the machine while loaded. The hook three times: with the
# audit on (SQLite, the default), off, and on with its database down (PostgreSQL on a closed port: records dropped).
declare -A hook_result base_result
peak_rss=0
measure_hook() { # label, extra env...
  local label=$1; shift
  local api; api=$(start_api 5182 "$@"); wait_for_hook "http://127.0.0.1:5182$path" "$hook"
  size=$(curl -s -o /dev/null -w '%{size_download}' -H 'Content-Type: application/json' --data-binary @"$hook" "http://127.0.0.1:5182$path")
  for c in 4 32; do
    ( peak=0; while kill -0 "$api" 2>/dev/null; do r=$(awk '/VmRSS/ {print $2}' /proc/"$api"/status); [ "$r" -gt "$peak" ] && peak=$r && echo "$peak" >"$work/rss"; sleep 0.2; done ) &
    sampler=$!
    hook_result[$label,$c]=$(load "http://127.0.0.1:5182$path" "$c")
    kill "$sampler" 2>/dev/null || true
    r=$(cat "$work/rss"); [ "$r" -gt "$peak_rss" ] && peak_rss=$r
  done
  kill "$api"; wait "$api" 2>/dev/null || true
}
measure_hook on Audit__SqlitePath="$work/audit.db"
audited=$(sqlite3 "$work/audit.db" 'select count(*) from cards' 2>/dev/null || echo "?")
measure_hook off Audit__Enabled=false
port_free 5186
measure_hook down "ConnectionStrings__AuditDb=Host=127.0.0.1;Port=5186;Username=bench;Database=down"
BASELINE_RESPONSE_BYTES=$size dotnet "$work/baseline/Baseline.dll" --urls http://127.0.0.1:5183 >/dev/null 2>&1 &
track $!; wait_for_hook "http://127.0.0.1:5183$path" "$hook"
for c in 4 32; do base_result[$c]=$(load "http://127.0.0.1:5183$path" "$c"); done

# Without prefetch: 200 sequential hooks reading the local FHIR server; the service's own time is its handler time
# minus the time spent waiting for the (parallel) FHIR queries, taken from its log.
(cd "$repo/tests/fhir-server" && PORT=5184 exec node server.js >"$work/fhir.log" 2>&1) &
track $!
until grep -q listening "$work/fhir.log" 2>/dev/null; do sleep 0.1; done
"$repo/fhir-profiles/examples/load.sh" http://127.0.0.1:5184/fhir >/dev/null
python3 - "$hook" "$work/noprefetch.json" <<'PY'
import json, sys
hook = json.load(open(sys.argv[1])); hook.pop("prefetch"); hook["fhirServer"] = "http://127.0.0.1:5184/fhir"
json.dump(hook, open(sys.argv[2], "w"))
PY
api=$(start_api 5185 Logging__LogLevel__CrlmCdsHooks.Api.CdsHooks=Information)
wait_for_hook "http://127.0.0.1:5185$path" "$work/noprefetch.json"
for i in $(seq 1 50); do curl -s -o /dev/null -H 'Content-Type: application/json' --data-binary @"$work/noprefetch.json" "http://127.0.0.1:5185$path"; done
: >"$work/api-5185.log"
for i in $(seq 1 200); do curl -s -o /dev/null -H 'Content-Type: application/json' --data-binary @"$work/noprefetch.json" "http://127.0.0.1:5185$path"; done
sleep 0.5
noprefetch=$(python3 - "$work/api-5185.log" <<'PY'
import re, statistics, sys
text = open(sys.argv[1]).read()
pairs = [(float(a), float(b)) for a, b in re.findall(r"card\(s\) in ([\d.]+) ms, ([\d.]+) ms of it reading", text)]
requests = sorted(set(int(n) for n in re.findall(r"queries from the FHIR server in (\d+) requests", text)))
over = sorted(a - b for a, b in pairs); fhir = sorted(b for _, b in pairs)
q = lambda xs, p: xs[min(len(xs) - 1, int(p * len(xs)))]
print(f"{len(pairs)} {q(over,.5):.2f} {q(over,.99):.2f} {q(fhir,.5):.2f} {','.join(map(str, requests))}")
PY
)

read -r b4 b4p50 b4p99 <<<"${base_result[4]}"; read -r b32 b32p50 b32p99 <<<"${base_result[32]}"
read -r n over50 over99 fhir50 reqs <<<"$noprefetch"
row() { # label, connections, baseline req/s
  local rps p50 p99; read -r rps p50 p99 <<<"${hook_result[$1,$2]}"
  echo "| $2 connections, audit $1 | $rps | $p50 | $p99 | $(awk "BEGIN {printf \"%.2f\", $rps/$3}") |"
}
cat <<REPORT
Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); load average $(cut -d' ' -f1-3 /proc/loadavg); $(dotnet --version) SDK; wrk -t2, ${duration} per run after a 3 s warm-up. Response: $size bytes.

| load | hook req/s | hook p50 ms | hook p99 ms | hook/baseline throughput |
|---|---|---|---|---|
$(for c in 4 32; do for a in off on down; do row "$a" "$c" "$( [ "$c" = 4 ] && echo "$b4" || echo "$b32")"; done; done)
| 4 connections, baseline | $b4 | $b4p50 | $b4p99 | 1.00 |
| 32 connections, baseline | $b32 | $b32p50 | $b32p99 | 1.00 |

Audit "on" is SQLite (the default; $audited cards written during that run); "down" is PostgreSQL on a closed port, so every record is dropped.

Without prefetch ($n sequential hooks against the local FHIR server): service time beyond the FHIR reads p50 $over50 ms, p99 $over99 ms; FHIR reads p50 $fhir50 ms; FHIR requests per hook: $reqs.

Cold start to the first answered hook (median of 3): $cold ms (runs: ${colds[*]} ms). Peak RSS under load: $((peak_rss / 1024)) MB.
REPORT
