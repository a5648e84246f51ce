#!/usr/bin/env bash
# Loads every example patient into a FHIR R4 server, e.g. HAPI's public sandbox:
#   fhir-profiles/examples/load.sh https://hapi.fhir.org/baseR4
# Each Bundle is a transaction of PUTs with fixed ids, so loading again changes nothing (idempotent), and the
# hook requests' context.patientId matches what the server holds.
set -euo pipefail
base=${1:?usage: load.sh FHIR_BASE_URL}
here=$(dirname "$0")
for bundle in "$here"/*.bundle.json; do
  status=$(curl -sS -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/fhir+json' --data-binary @"$bundle" "$base")
  echo "$(basename "$bundle"): HTTP $status"
  [ "$status" -lt 300 ] || exit 1
done
