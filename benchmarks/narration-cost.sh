#!/usr/bin/env bash
# Times kpsim's output modes against --quiet on one scenario, for one or more builds, interleaved:
# wall, user and system CPU and peak RSS of each whole run (/usr/bin/time), with the 1-minute load
# average before it. See src/docs/benchmarks.md, "The cost of narration".
#
#   benchmarks/narration-cost.sh -n 2 -s scenarios/blog-reset.yaml before=/tmp/old.jar after=simulator/target/kpsim.jar
#
# Each repetition runs every variant (quiet, json, text, pcap, html; -v a,b picks some, and also
# text-pcap or text-html: the text story with the capture or the page) with every
# build, builds innermost, so a change of load hits all of them alike. One CSV line per run goes to
# standard output. Every run gets the JVM options the ./kpsim launcher gives (-j "OPTIONS" replaces
# them; -j "" for the JVM's defaults). -r runs each measured JVM at real-time priority (chrt -f 10,
# root only), ahead of the machine's other work, as benchmarks/startup.py --realtime does. -g adds
# the run's young and full collections and their summed pause seconds (-Xlog:gc), a figure the
# machine's load moves far less than the wall time.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
repetitions=2
scenario="$root/scenarios/blog-reset.yaml"
jvm_options="-XX:+UseSerialGC -XX:MaxNewSize=32m" # the launcher's own (see ./kpsim)
variants="quiet,json,text,pcap,html"
realtime=()
gc=0
while getopts ":n:s:j:v:rgh" opt; do
  case "$opt" in
    n) repetitions="$OPTARG" ;;
    s) scenario="$OPTARG" ;;
    j) jvm_options="$OPTARG" ;;
    v) variants="$OPTARG" ;;
    r) realtime=(chrt -f 10) ;;
    g) gc=1 ;;
    h) sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    :) echo "narration-cost.sh: option -$OPTARG needs a value" >&2; exit 2 ;;
    *) echo "narration-cost.sh: unknown option -$OPTARG (try -h)" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
if ! [[ "$repetitions" =~ ^[1-9][0-9]*$ ]]; then
  echo "narration-cost.sh: -n $repetitions: expected a positive whole number" >&2; exit 2
fi
if [ ! -f "$scenario" ]; then echo "narration-cost.sh: -s $scenario: no such file" >&2; exit 2; fi
if [ $# -eq 0 ]; then echo "narration-cost.sh: name at least one build as NAME=JAR (try -h)" >&2; exit 2; fi
for b in "$@"; do
  jar="${b#*=}"
  if [ "$jar" = "$b" ] || [ ! -f "$jar" ]; then
    echo "narration-cost.sh: $b: expected NAME=JAR with an existing jar" >&2; exit 2
  fi
done
command -v /usr/bin/time >/dev/null || { echo "narration-cost.sh: /usr/bin/time is missing (apt-get install time)" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
read -r -a jvm <<<"$jvm_options"
if [ "$gc" = 1 ]; then
  jvm+=("-Xlog:gc:file=$work/gc")
  echo "rep,jar,scenario,variant,load1,wall_s,user_s,sys_s,maxrss_kb,gc_pauses,gc_s"
else
  echo "rep,jar,scenario,variant,load1,wall_s,user_s,sys_s,maxrss_kb"
fi
for rep in $(seq 1 "$repetitions"); do
  for variant in ${variants//,/ }; do
    for b in "$@"; do
      name="${b%%=*}"; jar="${b#*=}"
      case "$variant" in
        quiet) args=(--quiet) ;;
        json) args=(--format json) ;;
        text) args=() ;;
        pcap) rm -rf "$work/pcap"; args=(--quiet --pcap "$work/pcap") ;;
        html) rm -f "$work/run.html"; args=(--quiet --html "$work/run.html") ;;
        text-pcap) rm -rf "$work/pcap"; args=(--pcap "$work/pcap") ;;
        text-html) rm -f "$work/run.html"; args=(--html "$work/run.html") ;;
        *) echo "narration-cost.sh: -v: unknown variant $variant (quiet, json, text, pcap, html, text-pcap, text-html)" >&2; exit 2 ;;
      esac
      load="$(cut -d' ' -f1 /proc/loadavg)"
      if ! /usr/bin/time -f "%e,%U,%S,%M" -o "$work/time" ${realtime[@]+"${realtime[@]}"} java ${jvm[@]+"${jvm[@]}"} -jar "$jar" run "$scenario" ${args[@]+"${args[@]}"} \
          >"$work/out" 2>&1; then
        echo "narration-cost.sh: $name $variant failed; its last lines:" >&2; tail -3 "$work/out" >&2
      fi
      line="$rep,$name,$(basename "$scenario" .yaml),$variant,$load,$(tail -1 "$work/time")"
      if [ "$gc" = 1 ]; then # pauses as -Xlog:gc prints them: "Pause Young (...) 25M->11M(374M) 6.123ms"
        line="$line,$(awk '/Pause/ { n++; s += $NF + 0 } END { printf "%d,%.3f", n, s / 1000 }' "$work/gc")"
        rm -f "$work/gc"
      fi
      echo "$line"
    done
  done
done
