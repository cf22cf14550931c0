#!/usr/bin/env bash
# Times `kpsim replay` end to end on a large seeded capture, for two or more builds, interleaved:
# wall, user and system CPU, peak RSS of each whole run (/usr/bin/time), packets per second of wall
# time and of user+system CPU, and the 1-minute load average before the run. See
# src/docs/benchmarks.md, section 3.
#
#   benchmarks/replay-scale.sh [-k expiring|table-full] [-n REPS] [-p PACKETS] [-c CONCURRENT] [-g GAP_NS] \
#       [-f jsonl|text|diagnose] [-o CAPTURE] [-d DIR] before=/tmp/old.jar after=simulator/target/kpsim.jar
#
# The capture comes from ReplayCaptureGenerator (benchmarks/target/benchmarks.jar, seed 1):
# PACKETS records (default 10,000,000, about 2.9 GB) of CONCURRENT open connections (default
# 20,000) through four ClusterIP services, GAP_NS apart on average. Two named cases set the gap:
#   expiring   (the default) 100000 ns: 10M records span 1,000 s of capture time, so closed
#              connections leave TIME_WAIT (120 s) as new ones open; conntrack's table levels off
#              at about 95,000 entries and no packet meets a full table.
#   table-full 1000 ns: 10M records span 10 s, every closed connection is still in TIME_WAIT, and
#              the table reaches nf_conntrack_max (262,144) at record 4,899,722; from there every
#              packet that needs a new entry runs early_drop() and is dropped ("table full").
# -g overrides the case's gap. The capture is written once to CAPTURE (default
# benchmarks/target/replay-PACKETS-GAP.pcap) and reused while it exists. Output goes to /dev/null,
# or with -d DIR to a file in DIR (deleted after each run; its size is the CSV's last column).
# Every run gets the ./kpsim launcher's JVM options. One CSV line per run on standard output.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
repetitions=1
packets=10000000
concurrent=20000
gap=""
case_name=expiring
format=jsonl
capture=""
sink_dir=""
jvm_options="-XX:+UseSerialGC -XX:MaxNewSize=32m" # the launcher's own (see ./kpsim)
while getopts ":k:n:p:c:g:f:o:d:h" opt; do
  case "$opt" in
    k) case_name="$OPTARG" ;;
    n) repetitions="$OPTARG" ;;
    p) packets="$OPTARG" ;;
    c) concurrent="$OPTARG" ;;
    g) gap="$OPTARG" ;;
    f) format="$OPTARG" ;;
    o) capture="$OPTARG" ;;
    d) sink_dir="$OPTARG" ;;
    h) sed -n '2,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    :) echo "replay-scale.sh: option -$OPTARG needs a value" >&2; exit 2 ;;
    *) echo "replay-scale.sh: unknown option -$OPTARG (try -h)" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
case "$case_name" in
  expiring) gap="${gap:-100000}" ;;
  table-full) gap="${gap:-1000}" ;;
  *) echo "replay-scale.sh: -k $case_name: expiring or table-full" >&2; exit 2 ;;
esac
for n in "$repetitions" "$packets" "$concurrent" "$gap"; do
  if ! [[ "$n" =~ ^[1-9][0-9]*$ ]]; then echo "replay-scale.sh: $n: expected a positive whole number" >&2; exit 2; fi
done
case "$format" in jsonl|text|diagnose) ;; *) echo "replay-scale.sh: -f $format: jsonl, text or diagnose" >&2; exit 2 ;; esac
if [ $# -eq 0 ]; then echo "replay-scale.sh: name at least one build as NAME=JAR (try -h)" >&2; exit 2; fi
for b in "$@"; do
  jar="${b#*=}"
  if [ "$jar" = "$b" ] || [ ! -f "$jar" ]; then
    echo "replay-scale.sh: $b: expected NAME=JAR with an existing jar" >&2; exit 2
  fi
done
command -v /usr/bin/time >/dev/null || { echo "replay-scale.sh: /usr/bin/time is missing (apt-get install time)" >&2; exit 2; }
bench_jar="$root/benchmarks/target/benchmarks.jar"
[ -f "$bench_jar" ] || { echo "replay-scale.sh: $bench_jar is missing (mvn -B -DskipTests package)" >&2; exit 2; }
capture="${capture:-$root/benchmarks/target/replay-$packets-$gap.pcap}"
services=()
if [ ! -f "$capture" ]; then
  echo "replay-scale.sh: writing $capture ($packets packets, $concurrent open connections, gap $gap ns, seed 1)" >&2
  line="$(java -cp "$bench_jar" io.kpsim.bench.ReplayCaptureGenerator "$capture.part" "$packets" "$concurrent" 1 "$gap")"
  mv "$capture.part" "$capture"
else
  line="$(java -cp "$bench_jar" io.kpsim.bench.ReplayCaptureGenerator --services)"
fi
read -r -a services <<<"$line"
work="$(mktemp -d)"
trap 'rm -rf "$work"; [ "${sink:-/dev/null}" = /dev/null ] || rm -f "$sink"' EXIT
if [ -n "$sink_dir" ] && [ ! -d "$sink_dir" ]; then echo "replay-scale.sh: -d $sink_dir: not a directory" >&2; exit 2; fi
sink=/dev/null
[ -n "$sink_dir" ] && sink="$sink_dir/replay-scale-$$.out"
command=(replay --format "$format")
[ "$format" = diagnose ] && command=(diagnose)
echo "build,rep,case,format,packets,load1,wall_s,user_s,sys_s,peak_rss_mib,packets_per_wall_s,packets_per_cpu_s,exit,output_bytes"
for ((rep = 1; rep <= repetitions; rep++)); do
  for b in "$@"; do
    name="${b%%=*}"
    jar="${b#*=}"
    load="$(cut -d' ' -f1 /proc/loadavg)"
    set +e
    # shellcheck disable=SC2086 # jvm_options is a list of options
    /usr/bin/time -o "$work/time" -f "%e %U %S %M" java $jvm_options -jar "$jar" "${command[@]}" "${services[@]}" \
      "$capture" >"$sink" 2>"$work/err"
    status=$?
    set -e
    bytes=0
    if [ "$sink" != /dev/null ]; then bytes="$(stat -c %s "$sink")"; rm -f "$sink"; fi
    read -r wall user sys rss <"$work/time" || { wall=0; user=0; sys=0; rss=0; }
    awk -v n="$name" -v r="$rep" -v k="$case_name" -v f="$format" -v p="$packets" -v l="$load" -v w="$wall" -v u="$user" \
      -v s="$sys" -v m="$rss" -v x="$status" -v o="$bytes" 'BEGIN {
        printf "%s,%d,%s,%s,%d,%s,%.2f,%.2f,%.2f,%.0f,%.0f,%.0f,%d,%s\n", n, r, k, f, p, l, w, u, s, m / 1024,
          (w > 0 ? p / w : 0), (u + s > 0 ? p / (u + s) : 0), x, o }'
    if [ "$status" -ne 0 ]; then sed 's/^/  /' "$work/err" >&2; fi
  done
done
