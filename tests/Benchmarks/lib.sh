# Shared by the benchmark scripts: a work directory cleaned on exit with every tracked background process, wrk, and
# helpers to check a port and to read wrk's latencies in milliseconds. Source it after setting `repo`.
work=$(mktemp -d)
# Every background process's pid goes to a file: a process started in $(…) would lose a shell variable.
track() { echo "$1" >>"$work/pids"; }
# Processes that already ended make kill fail; under `set -e` that would turn a good run's exit status into 123.
cleanup() { if [ -f "$work/pids" ]; then xargs -r kill <"$work/pids" 2>/dev/null || true; fi; rm -rf "$work"; }
trap cleanup EXIT
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null || { echo "port $1 is in use: stop what listens there" >&2; exit 1; }; }
ms() { awk '{ v=$1; if (v ~ /us$/) { sub(/us/,"",v); v/=1000 } else if (v ~ /ms$/) { sub(/ms/,"",v) } else if (v ~ /s$/) { sub(/s/,"",v); v*=1000 } printf "%.2f", v }'; }
