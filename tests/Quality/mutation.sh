#!/usr/bin/env bash
# Mutation testing of the clinical core with Stryker.NET (the repository's tool manifest): the scoring library, then the
# FHIR library, each against its own test project. Text mutations are excluded (they change clinical prose, which the
# tests compare only where wording is the contract). Prints each library's score; fails when one is under 85%
# (killed / (killed + survived + not covered), thresholds.break in the configs).
# Usage: tests/Quality/mutation.sh [scoring|fhir]...   (both by default). Extra Stryker options via STRYKER_ARGS,
# e.g. STRYKER_ARGS='--concurrency 2'. Reports go to tests/Quality/reports/<library>/ (html and json).
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet tool restore >/dev/null

status=0
scores=()
for library in "${@:-scoring fhir}"; do
  for name in $library; do
    case "$name" in
      scoring) project=CrlmCdsHooks.Scoring ;;
      fhir) project=CrlmCdsHooks.Fhir ;;
      *) echo "unknown library '$name' (scoring or fhir)" >&2; exit 2 ;;
    esac
    output="$PWD/tests/Quality/reports/$name"
    rm -rf "$output"
    started=$(date +%s)
    set +e
    (cd "tests/$project.Tests" && nice -n 10 dotnet dotnet-stryker --config-file "../Quality/stryker-$name.json" --output "$output" ${STRYKER_ARGS:-})
    result=$?
    set -e
    [ "$result" -eq 0 ] || status=1
    report="$output/reports/mutation-report.json"
    if [ -f "$report" ]; then
      score=$(node -e '
        const files = Object.values(require(process.argv[1]).files);
        const count = s => files.flatMap(f => f.mutants).filter(m => m.status === s).length;
        const killed = count("Killed") + count("Timeout"), survived = count("Survived"), none = count("NoCoverage");
        console.log(`${(100 * killed / (killed + survived + none)).toFixed(1)}% (${killed} killed, ${survived} survived, ${none} not covered)`);
      ' "$report")
    else
      score="no report"
    fi
    scores+=("$project: $score in $(( $(date +%s) - started )) s")
  done
done
printf 'mutation score %s\n' "${scores[@]}"
exit "$status"
