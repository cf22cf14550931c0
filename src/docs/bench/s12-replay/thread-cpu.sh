#!/bin/bash
# (kept in src/docs/bench/s12-replay/; reads the per-thread utime+stime from /proc/PID/task/*/stat every 0.2 s and keeps each thread's last value)
# usage: thread-cpu.sh JAR [extra java opts...] -- per-thread CPU (s) of a 10M jsonl replay, polled every 0.2 s
jar=$1; shift
root="$(cd "$(dirname "$0")/../../../.." && pwd)"
SV="$(java -cp "$root/benchmarks/target/benchmarks.jar" io.kpsim.bench.ReplayCaptureGenerator --services)"
CAP=${CAP:-$root/benchmarks/target/replay-10000000-100000.pcap}
FMT=${FMT:-jsonl}
start=$(date +%s.%N)
/usr/bin/time -o /tmp/thread-cpu.time -f "%e %U %S %M" chrt -f 10 java -XX:+UseSerialGC -XX:MaxNewSize=32m "$@" -jar $jar replay --format $FMT $SV $CAP > /dev/null 2>/tmp/thread-cpu.err &
sleep 0.3
pid=$(pgrep -P $(pgrep -P $! | head -1) | head -1); [ -z "$pid" ] && pid=$(pgrep -P $! | head -1)
: > /tmp/thread-cpu.raw
while kill -0 $pid 2>/dev/null; do
  for t in /proc/$pid/task/*; do awk -v tid=${t##*/} '{ match($0, /\(.*\)/); name=substr($0, RSTART+1, RLENGTH-2); rest=substr($0, RSTART+RLENGTH+1); split(rest, f, " "); printf "%s|%s|%d\n", tid, name, f[12]+f[13] }' $t/stat 2>/dev/null; done >> /tmp/thread-cpu.raw
  sleep 0.2
done
wait
echo "load $(cut -d' ' -f1 /proc/loadavg) time(wall user sys rssKB) $(cat /tmp/thread-cpu.time)"
awk -F'|' '{ if ($3 > m[$1]) m[$1]=$3; nm[$1]=$2 } END { for (t in m) { n=nm[t]; if (n ~ /C[12] Comp/) n="JIT"; else if (n ~ /^GC|VM Thread/) n="GC/VM"; else if (n=="java") n=(t in first)?"java":"java"; c[n]+=m[t] } for (k in c) if (c[k] > 0) printf "  %-18s %.2f s\n", k, c[k]/100 }' /tmp/thread-cpu.raw | sort
