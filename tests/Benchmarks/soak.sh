#!/usr/bin/env bash
# The bounded soak of docs/performance.md: a well-behaved EHR sends the standard hook while a hostile client on the
# same machine sends a mix of malformed, damaged and oversized requests (the cases of tests/CrlmCdsHooks.Api.Tests/
# HostileInputTests). Reports throughput, the well-behaved client's p99 with and without the hostile load, the hostile
# client's answers by status, and the service's peak RSS.
#   tests/Benchmarks/soak.sh            (needs wrk: apt-get install wrk; SOAK_DURATION=120s by default)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
duration=${SOAK_DURATION:-120s}
source "$repo/tests/Benchmarks/lib.sh"
port=5191
port_free "$port"

echo "Publishing a Release build…" >&2
dotnet publish "$repo/src/CrlmCdsHooks.Api" -c Release -o "$work/api" -v quiet >/dev/null

hook="$repo/fhir-profiles/examples/crlm-high-risk.hook.json"
path=/cds-services/crlm-recurrence-liu2021
# The hostile mix: every kind of request the hostile-input tests pin, written once to files.
python3 - "$repo/fhir-profiles/examples" "$work" "$path" <<'PY'
import copy, json, os, sys
examples, work, hook_path = sys.argv[1:4]
hook = json.load(open(os.path.join(examples, "crlm-high-risk.hook.json")))
bundle = json.load(open(os.path.join(examples, "crlm-high-risk.bundle.json")))
mix = []
def add(name, path, body):
    file = os.path.join(work, name)
    with open(file, "w") as f:
        f.write(body if isinstance(body, str) else json.dumps(body))
    mix.append(f"{path}\t{file}")
def damaged(change):
    h = copy.deepcopy(hook); change(h); return h
def resource(h, rid):
    return next(e["resource"] for slot in h["prefetch"].values() for e in slot.get("entry", []) if e["resource"]["id"] == rid)
add("malformed.json", hook_path, '{"hook": "patient-view", ')
add("size-overflow.json", hook_path, damaged(lambda h: resource(h, "crlm-high-risk-recurrence-size-1").update(valueQuantity={"value": 8e27, "unit": "cm", "code": "cm"})))
add("date-9999.json", hook_path, damaged(lambda h: resource(h, "crlm-high-risk-hepatectomy").update(performedDateTime="9999-03-10")))
add("markdown.json", hook_path, damaged(lambda h: resource(h, "crlm-high-risk-hepatectomy")["code"].update(text="![p](https://t.example/p.png)\n# Low risk <iframe src=x>")))
add("hook-instance-7mb.json", hook_path, damaged(lambda h: h.update(hookInstance="a" * (7 * 1024 * 1024))))
add("entries-10001.json", hook_path, damaged(lambda h: h["prefetch"]["observations"].update(entry=[{"resource": {"resourceType": "Observation", "id": f"o{i}", "status": "final"}} for i in range(10001)])))
add("body-9mb.json", hook_path, '{"padding":"' + "x" * (9 * 1024 * 1024) + '"}')
big = copy.deepcopy(bundle)
size = next(e for e in bundle["entry"] if e["resource"]["id"] == "crlm-high-risk-recurrence-size-1")
for i in range(9000):
    e = copy.deepcopy(size); e["resource"]["id"] = f"size-{i}"; big["entry"].append(e)
add("assessment-9000.json", "/api/assessments", big)
with open(os.path.join(work, "mix.tsv"), "w") as f:
    f.write("\n".join(mix) + "\n")
PY

# Development (unsigned loopback calls), warnings-only logs. Both clients come from 127.0.0.1, so the per-client budget
# (which would otherwise also throttle the well-behaved client, sharing the address) is lifted; the /api/assessments
# budget per address and its concurrency ceiling stay at their defaults: they are part of what is soaked.
ASPNETCORE_ENVIRONMENT=Development CdsHooks__RateLimitPerSecond=100000000 CdsHooks__RateLimitBurst=100000000 \
  Logging__LogLevel__Default=Warning DOTNET_gcServer=0 \
  dotnet "$work/api/CrlmCdsHooks.Api.dll" --urls "http://127.0.0.1:$port" >"$work/api.log" 2>&1 &
api=$!; track $api
until curl -sf -o /dev/null -H 'Content-Type: application/json' --data-binary @"$hook" "http://127.0.0.1:$port$path"; do sleep 0.05; done

well_behaved() { # duration → "rps p99"
  local out; out=$(HOOK_FILE=$hook wrk -t1 -c4 -d"$1" --latency -s "$repo/tests/Benchmarks/post.lua" "http://127.0.0.1:$port$path")
  if grep -q "Non-2xx" <<<"$out"; then echo "the well-behaved client got non-2xx answers:" >&2; echo "$out" >&2; exit 1; fi
  echo "$(awk '/Requests\/sec/ {print $2}' <<<"$out") $(awk '$1=="99%" {print $2}' <<<"$out" | ms)"
}
well_behaved 5s >/dev/null   # warm-up
read -r alone_rps alone_p99 <<<"$(well_behaved 30s)"

( peak=0; while kill -0 "$api" 2>/dev/null; do r=$(awk '/VmRSS/ {print $2}' /proc/"$api"/status); [ "$r" -gt "$peak" ] && peak=$r && echo "$peak" >"$work/rss"; sleep 0.2; done ) &
track $!
SOAK_MIX="$work/mix.tsv" wrk -t1 -c8 -d"$duration" --latency -s "$repo/tests/Benchmarks/soak.lua" "http://127.0.0.1:$port" >"$work/hostile.txt" 2>&1 &
hostile=$!
read -r mixed_rps mixed_p99 <<<"$(well_behaved "$duration")"
wait "$hostile"
# The hostile answers by status, from the service's side: one of each kind, sent once more after the load.
statuses=$(while IFS=$'\t' read -r p f; do
  printf '%s %s\n' "$(basename "$f" .json)" "$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data-binary @"$f" "http://127.0.0.1:$port$p")"
done <"$work/mix.tsv" | paste -sd, -)
kill -0 "$api" || { echo "the service died during the soak" >&2; tail -50 "$work/api.log" >&2; exit 1; }
errors=$(grep -c ' 500 \|fail: ' "$work/api.log" || true)

cat <<REPORT
Machine: $(nproc) cores; soak of $duration. Well-behaved client: wrk -t1 -c4, the standard high-risk hook with prefetch.
Hostile client: wrk -t1 -c8 cycling through $(wc -l <"$work/mix.tsv") request kinds.

| | well-behaved req/s | well-behaved p99 ms |
|---|---|---|
| alone (30 s) | $alone_rps | $alone_p99 |
| beside the hostile client | $mixed_rps | $mixed_p99 |

Hostile client: $(awk '/Requests\/sec/ {print $2}' "$work/hostile.txt") req/s, $(awk '/Non-2xx/ {print $5}' "$work/hostile.txt") non-2xx answers, socket errors: $(grep -o 'Socket errors:.*' "$work/hostile.txt" || echo none).
Answers after the soak: $statuses.
Peak RSS: $(( $(cat "$work/rss") / 1024 )) MB. Error lines in the service log: $errors.
REPORT
