#!/usr/bin/env bash
# The benchmark of docs/performance.md: the hook under wrk load from a separate process, beside a baseline endpoint
# of the same response size, on the standard example and on a real-sized record (2,380 resources); in Development and
# in production mode with a freshly signed ES384 or RS384 token per request, each beside a floor that verifies the
# same signature; the hook's stages timed in process; the hook without prefetch against the local FHIR server; cold
# start; RSS under load.
#   tests/Benchmarks/run.sh            (needs wrk: apt-get install wrk; Node.js 20 for the FHIR server)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
duration=${BENCH_DURATION:-15s}
seconds=${duration%s}
# Long enough for every path to be compiled at its final tier, the audit writer's included (with 3 s its first
# batches were still being compiled, which showed as a p99 of 0.4 s with the audit on).
warmup=${BENCH_WARMUP:-8}
source "$repo/tests/Benchmarks/lib.sh"

echo "Publishing Release builds…" >&2
dotnet publish "$repo/src/CrlmCdsHooks.Api" -c Release -o "$work/api" -v quiet >/dev/null
dotnet publish "$repo/tests/Benchmarks/Baseline" -c Release -o "$work/baseline" -v quiet >/dev/null
dotnet publish "$repo/tests/Benchmarks/Stages" -c Release -o "$work/stages" -v quiet >/dev/null
[ -d "$repo/tests/fhir-server/node_modules" ] || npm ci --prefix "$repo/tests/fhir-server" --no-audit --no-fund >/dev/null

hook="$repo/fhir-profiles/examples/crlm-high-risk.hook.json"
long="$work/long.hook.json"
python3 "$repo/tests/Benchmarks/long-record.py" "$hook" >"$long"
path=/cds-services/crlm-recurrence-liu2021
# Development (unsigned loopback calls) with the per-client rate limit lifted, so the benchmark measures the hook,
# not the limiter; warnings-only logs, as in production.
export ASPNETCORE_ENVIRONMENT=Development CdsHooks__RateLimitPerSecond=100000000 CdsHooks__RateLimitBurst=100000000 \
       Logging__LogLevel__Default=Warning DOTNET_gcServer=0

for port in 5181 5182 5183 5184 5185 5186 5187; do port_free "$port"; done
start_api() { # port, extra env...
  local port=$1; shift
  env Audit__SqlitePath="$work/audit-$port.db" "$@" dotnet "$work/api/CrlmCdsHooks.Api.dll" --urls "http://127.0.0.1:$port" >"$work/api-$port.log" 2>&1 &
  track $!; echo $!
}
wait_for_hook() { # url, body file
  until curl -sf -o /dev/null -H 'Content-Type: application/json' --data-binary @"$2" "$1"; do sleep 0.01; done
}
wait_ready() { # port
  until curl -sf -o /dev/null "http://127.0.0.1:$1/health/ready"; do sleep 0.05; done
}
cpu_ticks() { awk '{print $14 + $15}' /proc/"$1"/stat; } # user + system, in clock ticks
# The signed runs: the EHR's keys, published as a JWKS on loopback, and tokens minted for each run.
mkdir "$work/keys"
dotnet "$work/baseline/Baseline.dll" keys "$work/keys"
(cd "$work/keys" && exec python3 -m http.server 5187 --bind 127.0.0.1 >/dev/null 2>&1) &
track $!
until curl -sf -o /dev/null http://127.0.0.1:5187/jwks.json; do sleep 0.05; done
issuer=https://ehr.bench.example
declare -A most_per_second=([ES384]=3000 [RS384]=12000) # above what two cores can verify, so the tokens last the run
mint() { # algorithm, seconds, audience → a token file
  local file; file=$(mktemp -p "$work")
  dotnet "$work/baseline/Baseline.dll" mint "$1" $(( ${most_per_second[$1]} * $2 )) "$issuer" "$3" "$work/keys" >"$file"
  echo "$file"
}
load() { # url, connections, hook file, pid whose CPU to count, signing algorithm ("" for none) → "rps p50 p99 cpu-µs-per-request"
  local url=$1 connections=$2 file=$3 pid=$4 algorithm=$5 script=post.lua warm_tokens="" tokens=""
  if [ -n "$algorithm" ]; then
    script=post-signed.lua; warm_tokens=$(mint "$algorithm" "$warmup" "$url"); tokens=$(mint "$algorithm" "$seconds" "$url")
  fi
  HOOK_FILE=$file TOKEN_FILE=$warm_tokens wrk -t2 -c"$connections" -d"${warmup}s" -s "$repo/tests/Benchmarks/$script" "$url" >/dev/null # warm-up
  local before; before=$(cpu_ticks "$pid")
  local out; out=$(HOOK_FILE=$file TOKEN_FILE=$tokens wrk -t2 -c"$connections" -d"$duration" --latency -s "$repo/tests/Benchmarks/$script" "$url")
  local after; after=$(cpu_ticks "$pid")
  if grep -q "Non-2xx" <<<"$out"; then echo "non-2xx answers under load:" >&2; echo "$out" >&2; exit 1; fi
  local rps; rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  local requests; requests=$(awk '/requests in/ {print $1}' <<<"$out")
  echo "$rps $(awk '$1=="50%" {print $2}' <<<"$out" | ms) $(awk '$1=="99%" {print $2}' <<<"$out" | ms) $(( (after - before) * 1000000 / $(getconf CLK_TCK) / requests ))"
}

# Cold start: process start to the first answered hook, median of 3.
colds=()
for i in 1 2 3; do
  t0=$(date +%s%N); pid=$(start_api 5181); wait_for_hook "http://127.0.0.1:5181$path" "$hook"; t1=$(date +%s%N)
  colds+=($(( (t1 - t0) / 1000000 ))); kill "$pid"; wait "$pid" 2>/dev/null || true
done
cold=$(printf '%s\n' "${colds[@]}" | sort -n | sed -n 2p)

# With prefetch: each configuration alone on the machine while loaded, at 4 and 32 connections.
declare -A result peak_rss
measure() { # label, hook file, signing algorithm ("" for none), extra env...
  local label=$1 file=$2 algorithm=$3; shift 3
  local api; api=$(start_api 5182 "$@"); wait_ready 5182
  echo 0 >"$work/rss"
  ( peak=0; while kill -0 "$api" 2>/dev/null; do r=$(awk '/VmRSS/ {print $2}' /proc/"$api"/status); [ "$r" -gt "$peak" ] && peak=$r && echo "$peak" >"$work/rss"; sleep 0.2; done ) &
  local sampler=$!
  for c in 4 32; do result[$label,$c]=$(load "http://127.0.0.1:5182$path" "$c" "$file" "$api" "$algorithm"); done
  kill "$sampler" 2>/dev/null || true
  peak_rss[$label]=$(( $(cat "$work/rss") / 1024 ))
  kill "$api"; wait "$api" 2>/dev/null || true
}
floor() { # label, signing algorithm ("" for none), baseline env...
  local label=$1 algorithm=$2; shift 2
  env BASELINE_RESPONSE_BYTES="$size" "$@" dotnet "$work/baseline/Baseline.dll" --urls http://127.0.0.1:5183 >/dev/null 2>&1 &
  local pid=$!; track "$pid"
  until curl -s -o /dev/null -X POST http://127.0.0.1:5183$path; do sleep 0.05; done
  for c in 4 32; do result[$label,$c]=$(load "http://127.0.0.1:5183$path" "$c" "$hook" "$pid" "$algorithm"); done
  kill "$pid"; wait "$pid" 2>/dev/null || true
}
api=$(start_api 5182 Audit__Enabled=false); wait_ready 5182
size=$(curl -s -o /dev/null -w '%{size_download}' -H 'Content-Type: application/json' --data-binary @"$hook" "http://127.0.0.1:5182$path")
long_size=$(curl -s -o /dev/null -w '%{size_download}' -H 'Content-Type: application/json' --data-binary @"$long" "http://127.0.0.1:5182$path")
kill "$api"; wait "$api" 2>/dev/null || true

measure "off" "$hook" "" Audit__Enabled=false
measure "on" "$hook" "" Audit__SqlitePath="$work/audit.db"
audited=$(sqlite3 "$work/audit.db" 'select count(*) from cards' 2>/dev/null || echo "?")
port_free 5186
measure "down" "$hook" "" "ConnectionStrings__AuditDb=Host=127.0.0.1;Port=5186;Username=bench;Database=down"
measure "long" "$long" "" Audit__Enabled=false
production=(ASPNETCORE_ENVIRONMENT=Production Audit__Enabled=false CdsHooks__PublicBaseUrl=http://127.0.0.1:5182
            CdsHooks__Clients__0__Issuer=$issuer CdsHooks__Clients__0__JwksUri=http://127.0.0.1:5187/jwks.json)
measure "ES384" "$hook" ES384 "${production[@]}"
measure "RS384" "$hook" RS384 "${production[@]}"
floor "baseline" ""
floor "ES384 floor" ES384 BASELINE_JWKS="$work/keys/jwks.json"
floor "RS384 floor" RS384 BASELINE_JWKS="$work/keys/jwks.json"

stages=$(dotnet "$work/stages/Stages.dll" 2000 "$hook" | tail -n +3; dotnet "$work/stages/Stages.dll" 300 "$long" | tail -n 1)

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

read -r n over50 over99 fhir50 reqs <<<"$noprefetch"
row() { # what, label, connections, label of the run it is compared with
  local rps p50 p99 cpu brps; read -r rps p50 p99 cpu <<<"${result[$2,$3]}"; read -r brps _ <<<"${result[$4,$3]}"
  echo "| $1 | $3 | $rps | $p50 | $p99 | $cpu | $(awk "BEGIN {printf \"%.2f\", $rps/$brps}") of $4 |"
}
cat <<REPORT
Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); load average $(cut -d' ' -f1-3 /proc/loadavg); $(dotnet --version) SDK; wrk -t2, ${duration} per run after a ${warmup} s warm-up. Responses: $size bytes (standard example), $long_size bytes (real-sized record, $(wc -c <"$long") bytes of request).

| run | connections | req/s | p50 ms | p99 ms | CPU µs per request | throughput |
|---|---|---|---|---|---|---|
$(for c in 4 32; do
  row "hook, Development, audit off" off "$c" baseline
  row "hook, Development, audit on (SQLite)" on "$c" baseline
  row "hook, Development, audit database down" down "$c" baseline
  row "hook, Development, real-sized record, audit off" long "$c" baseline
  row "hook, production, ES384 token per request, audit off" ES384 "$c" "ES384 floor"
  row "hook, production, RS384 token per request, audit off" RS384 "$c" baseline
  row "floor: baseline verifying ES384" "ES384 floor" "$c" baseline
  row "floor: baseline verifying RS384" "RS384 floor" "$c" baseline
  row "floor: baseline" baseline "$c" baseline
done)

Audit "on" wrote $audited cards during its run; "down" is PostgreSQL on a closed port, so every record is dropped.

The hook's stages in process, one thread, microseconds per hook (the service's CPU per request beyond their sum is the web framework's and the middleware's):

| record | parse µs | read µs | map µs | score µs | card µs | serialize µs | sum µs |
|---|---|---|---|---|---|---|---|
$stages

Without prefetch ($n sequential hooks against the local FHIR server): service time beyond the FHIR reads p50 $over50 ms, p99 $over99 ms; FHIR reads p50 $fhir50 ms; FHIR requests per hook: $reqs.

Cold start to the first answered hook (median of 3): $cold ms (runs: ${colds[*]} ms). Peak RSS under load: $(for label in off on down long ES384 RS384; do printf '%s %s MB; ' "$label" "${peak_rss[$label]}"; done)
REPORT
