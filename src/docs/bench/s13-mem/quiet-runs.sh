#!/usr/bin/env bash
# usage: quiet-runs.sh REPS SCENARIO... -- quiet runs of each scenario, base jar and this branch's
# interleaved (the order alternating by repetition), at chrt -f 10 with the launcher's collector
# options: load before the run, wall, user and system CPU, peak RSS, and the collections -Xlog:gc logged.
set -u
reps=$1; shift
BASE=${BASE:-/tmp/s13base.jar}; AFTER=${AFTER:-/tmp/s13mem-c.jar}
echo "rep,jar,scenario,load1,wall_s,user_s,sys_s,maxrss_kb,gcs"
for rep in $(seq 1 "$reps"); do
  for s in "$@"; do
    if [ $((rep % 2)) -eq 1 ]; then order="base after"; else order="after base"; fi
    for name in $order; do
      jar=$BASE; [ "$name" = after ] && jar=$AFTER
      load=$(cut -d' ' -f1 /proc/loadavg)
      /usr/bin/time -f "%e,%U,%S,%M" -o /tmp/s13mem-qr.time chrt -f 10 java -XX:+UseSerialGC -XX:MaxNewSize=32m \
        -Xlog:gc:file=/tmp/s13mem-qr.gc -jar "$jar" run "$s" --quiet > /tmp/s13mem-qr.out 2>&1
      echo "$rep,$name,$(basename "$s" .yaml),$load,$(tail -1 /tmp/s13mem-qr.time),$(grep -c 'Pause' /tmp/s13mem-qr.gc)"
    done
  done
done
rm -f /tmp/s13mem-qr.time /tmp/s13mem-qr.gc /tmp/s13mem-qr.out
