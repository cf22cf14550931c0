#!/usr/bin/env bash
# usage: mem-cmp.sh JAR OUTDIR  -- runs every scenario three ways, and three replays
set -u
jar=$1; out=$2; rm -rf "$out"; mkdir -p "$out"
cd /work/wt/s12-mem
J="java -XX:+UseSerialGC -XX:MaxNewSize=32m -jar $jar"
for f in scenarios/*.yaml benchmarks/scenarios/bench-*.yaml benchmarks/scenarios/scale-100k.yaml benchmarks/scenarios/table-full-131072.yaml; do
  n=$(basename "$f" .yaml)
  case "$n" in scale-*|table-full-*) J2="java -Xmx2g -XX:+UseSerialGC -XX:MaxNewSize=32m -jar $jar"; modes="quiet json";; *) J2="$J"; modes="text json pcap";; esac
  for m in $modes; do
    case $m in
      text) $J2 run "$f" > "$out/$n.text.out" 2> "$out/$n.text.err"; echo $? > "$out/$n.text.rc";;
      quiet) $J2 run "$f" --quiet > "$out/$n.quiet.out" 2> "$out/$n.quiet.err"; echo $? > "$out/$n.quiet.rc";;
      json) $J2 run "$f" --format json > "$out/$n.json.out" 2> "$out/$n.json.err"; echo $? > "$out/$n.json.rc";;
      pcap) mkdir -p "$out/$n.pcap.d"; $J2 run "$f" --quiet --pcap "$out/$n.pcap.d" > "$out/$n.pcap.out" 2> "$out/$n.pcap.err"; echo $? > "$out/$n.pcap.rc";;
    esac
  done
done
S="--service 10.96.0.10:80=10.244.200.1:8080 --service 10.96.0.11:80=10.244.200.2:8080 --service 10.96.0.12:80=10.244.200.3:8080 --service 10.96.0.13:80=10.244.200.4:8080"
for cap in /tmp/memreplay.pcap /tmp/memreplay-full.pcap; do
  c=$(basename $cap .pcap)
  $J replay $cap $S --format jsonl > "$out/$c.jsonl.out" 2> "$out/$c.jsonl.err"; echo $? > "$out/$c.jsonl.rc"
  $J replay $cap $S --format text > "$out/$c.text.out" 2> "$out/$c.text.err"; echo $? > "$out/$c.text.rc"
  $J diagnose $cap $S > "$out/$c.diag.out" 2> "$out/$c.diag.err"; echo $? > "$out/$c.diag.rc"
done
