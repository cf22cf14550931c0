#!/usr/bin/env bash
# Times quiet runs (the model alone, no narration) of one or more scenarios, for one or more builds
# and JVM option sets, interleaved: wall, user and system CPU and peak RSS of each whole run
# (/usr/bin/time), with the 1-minute load average before it. See src/docs/benchmarks.md, section 4,
# "The model's own speed (issue 17, session 6)".
#
#   benchmarks/model-speed.sh -r -n 5 -s benchmarks/scenarios/bench-1000-downloads.yaml \
#       -g 'serial=-XX:+UseSerialGC -XX:MaxNewSize=32m' -g 'g1=' old=/tmp/old.jar new=simulator/target/kpsim.jar
#
# Each repetition runs every scenario with every JVM option set (-g NAME=OPTIONS, repeatable; by
# default the launcher's own, as in ./kpsim) and every build (NAME=JAR), builds innermost, so a
# change of load hits all of them alike. One CSV line per run goes to standard output. -r runs each
# measured JVM at real-time priority (chrt -f 10, root only), ahead of the machine's other work.
set -euo pipefail
repetitions=3
scenarios=()
option_sets=()
realtime=()
while getopts ":n:s:g:rh" opt; do
  case "$opt" in
    n) repetitions="$OPTARG" ;;
    s) scenarios+=("$OPTARG") ;;
    g) option_sets+=("$OPTARG") ;;
    r) realtime=(chrt -f 10) ;;
    h) sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    :) echo "model-speed.sh: option -$OPTARG needs a value" >&2; exit 2 ;;
    *) echo "model-speed.sh: unknown option -$OPTARG (try -h)" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
if ! [[ "$repetitions" =~ ^[1-9][0-9]*$ ]]; then
  echo "model-speed.sh: -n $repetitions: expected a positive whole number" >&2; exit 2
fi
if [ ${#scenarios[@]} -eq 0 ]; then echo "model-speed.sh: name at least one scenario with -s FILE" >&2; exit 2; fi
for s in "${scenarios[@]}"; do
  if [ ! -f "$s" ]; then echo "model-speed.sh: -s $s: no such file" >&2; exit 2; fi
done
if [ ${#option_sets[@]} -eq 0 ]; then option_sets=("launcher=-XX:+UseSerialGC -XX:MaxNewSize=32m"); fi
for g in "${option_sets[@]}"; do
  if [ "${g#*=}" = "$g" ]; then echo "model-speed.sh: -g $g: expected NAME=OPTIONS (OPTIONS may be empty)" >&2; exit 2; fi
done
if [ $# -eq 0 ]; then echo "model-speed.sh: name at least one build as NAME=JAR (try -h)" >&2; exit 2; fi
for b in "$@"; do
  jar="${b#*=}"
  if [ "$jar" = "$b" ] || [ ! -f "$jar" ]; then
    echo "model-speed.sh: $b: expected NAME=JAR with an existing jar" >&2; exit 2
  fi
done
command -v /usr/bin/time >/dev/null || { echo "model-speed.sh: /usr/bin/time is missing (apt-get install time)" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "rep,jar,jvm,scenario,load1,wall_s,user_s,sys_s,maxrss_kb,packets"
for rep in $(seq 1 "$repetitions"); do
  for scenario in "${scenarios[@]}"; do
    for g in "${option_sets[@]}"; do
      read -r -a jvm <<<"${g#*=}"
      for b in "$@"; do
        name="${b%%=*}"; jar="${b#*=}"
        load="$(cut -d' ' -f1 /proc/loadavg)"
        if ! /usr/bin/time -f "%e,%U,%S,%M" -o "$work/time" ${realtime[@]+"${realtime[@]}"} \
            java ${jvm[@]+"${jvm[@]}"} -jar "$jar" run "$scenario" --quiet >"$work/out" 2>&1; then
          echo "model-speed.sh: $name ${g%%=*} $(basename "$scenario") failed; its last lines:" >&2
          tail -3 "$work/out" >&2
        fi
        packets="$(sed -n 's/.*packets \([0-9]*\).*/\1/p' "$work/out" | tail -1)"
        echo "$rep,$name,${g%%=*},$(basename "$scenario" .yaml),$load,$(tail -1 "$work/time"),${packets:-?}"
      done
    done
  done
done
