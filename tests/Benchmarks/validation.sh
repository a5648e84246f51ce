#!/usr/bin/env bash
# The cohort validation tool at scale (docs/performance.md, "Cohort validation tool"): a synthetic export of
# VALIDATION_PATIENTS patients (100,000 by default), then one timed run with peak memory from /usr/bin/time -v.
#   tests/Benchmarks/validation.sh            (needs /usr/bin/time: apt-get install time)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
patients=${VALIDATION_PATIENTS:-100000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }

echo "Publishing a Release build…" >&2
dotnet publish "$repo/src/CrlmCdsHooks.Validation" -c Release -o "$work/tool" -v quiet >/dev/null
tool() { dotnet "$work/tool/CrlmCdsHooks.Validation.dll" "$@"; }

echo "Writing a synthetic export of $patients patients…" >&2
tool generate-demo --out "$work/export" --patients "$patients" >/dev/null
echo "export: $(du -sh "$work/export" | cut -f1), $(cat "$work/export"/*.ndjson | wc -l) resources"

/usr/bin/time -v -o "$work/time.txt" dotnet "$work/tool/CrlmCdsHooks.Validation.dll" --input "$work/export" --out "$work/report" 2>/dev/null
grep -E "Elapsed \(wall clock\)|Maximum resident set size|User time|System time|Percent of CPU" "$work/time.txt" | sed 's/^\s*//'
python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print('patients', r['patients'], 'eligible', r['eligible'], 'C-index', round(r['cIndex']['estimate'],3))" "$work/report/report.json"
