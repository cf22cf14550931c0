#!/usr/bin/env bash
# Runs kpsim and ns-3 side by side on the same workloads and prints a table of wall time, CPU
# time, peak memory and packets simulated per wall-clock second. See src/docs/benchmarks.md,
# "kpsim against ns-3", for what each tool simulates and counts.
#
#   benchmarks/compare-ns3.sh                    # every workload, 3 repetitions
#   benchmarks/compare-ns3.sh -n 5 -w blog,tiny  # chosen workloads, 5 repetitions
#   benchmarks/compare-ns3.sh -l                 # list the workloads
#
# Each repetition runs every workload once with each of the four variants (kpsim --format json,
# kpsim --quiet, kpsim's text story, ns-3), one after the other, and the variant that goes first
# rotates from one repetition to the next, so that a change of machine load hits all of them
# alike. Before each run the 1-minute load average is recorded. /usr/bin/time measures every
# run from the outside: wall time, user and system CPU time, peak resident memory.
#
# Output, in OUTDIR (default benchmarks/target/compare-ns3-DATE-TIME): runs.csv (one line per
# run, written as it goes), summary.csv and summary.md (medians per workload and variant); the
# markdown table is printed at the end. kpsim runs through ./kpsim, as users run it; the jar and
# the ns-3 program are built before the first timed run.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# name | kpsim scenario | ns-3 arguments (the same workload; keep the two in step)
workloads=(
  "blog|scenarios/blog-reset.yaml|--downloads=10 --fileSize=2097152 --duration=1s"
  "100-downloads|benchmarks/scenarios/bench-100-downloads.yaml|--downloads=100 --fileSize=2097152 --duration=5s"
  "1000-downloads|benchmarks/scenarios/bench-1000-downloads.yaml|--downloads=1000 --fileSize=2097152 --duration=40s"
  "10000-requests|benchmarks/scenarios/bench-10000-requests.yaml|\
--downloads=10000 --parallel=10000 --fileSize=1024 --duration=10s"
  "tiny|benchmarks/scenarios/bench-tiny-exchange.yaml|--downloads=1 --fileSize=1024 --duration=1s"
)
variants=(kpsim-json kpsim-quiet kpsim-text ns3)

usage() {
  sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  echo "options: -n REPETITIONS (default 3)  -w NAME[,NAME...]  -o OUTDIR  -l (list)  -h"
}

repetitions=3
selected=""
outdir=""
while getopts ":n:w:o:lh" opt; do
  case "$opt" in
    n) repetitions="$OPTARG" ;;
    w) selected="$OPTARG" ;;
    o) outdir="$OPTARG" ;;
    l) for w in "${workloads[@]}"; do IFS='|' read -r name scenario args <<<"$w"
         printf '%-16s %-48s ns-3: %s\n' "$name" "$scenario" "$args"; done; exit 0 ;;
    h) usage; exit 0 ;;
    :) echo "compare-ns3.sh: option -$OPTARG needs a value" >&2; exit 2 ;;
    *) echo "compare-ns3.sh: unknown option -$OPTARG (try -h)" >&2; exit 2 ;;
  esac
done
if ! [[ "$repetitions" =~ ^[1-9][0-9]*$ ]]; then
  echo "compare-ns3.sh: -n $repetitions: expected a positive whole number of repetitions" >&2
  exit 2
fi

chosen=()
if [ -z "$selected" ]; then
  chosen=("${workloads[@]}")
else
  IFS=',' read -r -a names <<<"$selected"
  for n in "${names[@]}"; do
    found=""
    for w in "${workloads[@]}"; do [ "${w%%|*}" = "$n" ] && found="$w"; done
    if [ -z "$found" ]; then
      echo "compare-ns3.sh: -w: unknown workload '$n' (expected one of:$(printf ' %s' "${workloads[@]%%|*}"))" >&2
      exit 2
    fi
    chosen+=("$found")
  done
fi

for tool in /usr/bin/time python3 java; do
  if ! command -v "$tool" >/dev/null; then
    echo "compare-ns3.sh: $tool is missing (Debian: apt-get install time python3 openjdk-17-jdk-headless)" >&2
    exit 2
  fi
done

outdir="${outdir:-$root/benchmarks/target/compare-ns3-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$outdir/out"
runs="$outdir/runs.csv"

echo "compare-ns3.sh: building kpsim and the ns-3 program (not timed) ..." >&2
(cd "$root" && ./kpsim --version >/dev/null)
ns3="$("$root/benchmarks/ns3/run.sh" --build-only)"
for w in "${chosen[@]}"; do
  IFS='|' read -r name scenario args <<<"$w"
  (cd "$root" && ./kpsim validate "$scenario" >/dev/null)
done

{
  cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
  echo "# started $(date -Iseconds) on $(hostname): $(nproc) CPUs, $cpu"
  echo "# $(java -version 2>&1 | head -1); ns-3 $(pkg-config --modversion ns3-core) (Debian libns3-dev)"
  echo "repetition,workload,variant,load1_before,wall_seconds,user_seconds,system_seconds,max_rss_kib,exit_code,\
packets,output"
} >"$runs"

# One timed run: records the load, times the command, writes a line of runs.csv.
timed_run() {
  local rep="$1" name="$2" variant="$3" out="$4"
  shift 4
  local load timing
  load="$(cut -d' ' -f1 /proc/loadavg)"
  timing="$outdir/out/time.txt"
  set +e
  (cd "$root" && /usr/bin/time -o "$timing" -f '%e,%U,%S,%M,%x' "$@" >"$out" 2>"$out.err")
  set -e
  local packets=""
  case "$variant" in
    kpsim-json|ns3) packets="$(python3 -c 'import json,sys
try: print(json.load(open(sys.argv[1]))["packets"])
except Exception: print("")' "$out")" ;;
    kpsim-text|kpsim-quiet) # the summary line, which --quiet prints too: "connections 10, ..., packets 28694, ..."
      packets="$(grep -oE ', packets [0-9]+, retransmissions' "$out" | head -1 | grep -oE '[0-9]+' || true)" ;;
  esac
  local result
  result="$(tail -1 "$timing")"
  echo "$rep,$name,$variant,$load,$result,$packets,${out#"$outdir"/}" >>"$runs"
  printf '  %-15s %-12s load %5s  %s\n' "$name" "$variant" "$load" \
    "$(echo "$result" | awk -F, '{printf "%6.2f s wall, %6.2f s CPU, %5.0f MiB, exit %s", $1, $2+$3, $4/1024, $5}')" >&2
}

for rep in $(seq 1 "$repetitions"); do
  echo "repetition $rep of $repetitions" >&2
  for w in "${chosen[@]}"; do
    IFS='|' read -r name scenario args <<<"$w"
    for k in 0 1 2 3; do
      variant="${variants[$(((k + rep - 1) % 4))]}"
      out="$outdir/out/$name.$variant.$rep.txt"
      case "$variant" in
        kpsim-json) timed_run "$rep" "$name" "$variant" "$out" ./kpsim run "$scenario" --format json ;;
        kpsim-quiet) timed_run "$rep" "$name" "$variant" "$out" ./kpsim run "$scenario" --quiet ;;
        kpsim-text) timed_run "$rep" "$name" "$variant" "$out" ./kpsim run "$scenario" ;;
        # shellcheck disable=SC2086
        ns3) timed_run "$rep" "$name" "$variant" "$out" "$ns3" --name="$name" $args ;;
      esac
    done
  done
done

python3 "$root/benchmarks/ns3/summarize.py" "$runs" "$outdir/summary.csv" "$outdir/summary.md"
echo >&2
echo "compare-ns3.sh: runs in $runs, summary in $outdir/summary.md and summary.csv" >&2
cat "$outdir/summary.md"
