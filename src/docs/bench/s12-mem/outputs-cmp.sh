#!/usr/bin/env bash
# usage: mem-cmp.sh JAR OUTDIR  -- runs every scenario three ways, and three replays
set -u
jar=$(realpath "$1"); out=$(realpath -m "$2")
# The scenarios, run three ways: the same loop as session 13's script (it ran from /work/wt/s12-mem).
REPLAY_CAPTURES=0 "$(dirname "$0")/../s13-mem/outputs-cmp.sh" "$jar" "$out"
cd "$(dirname "$0")/../../../.."
J="java -XX:+UseSerialGC -XX:MaxNewSize=32m -jar $jar"
S="--service 10.96.0.10:80=10.244.200.1:8080 --service 10.96.0.11:80=10.244.200.2:8080 --service 10.96.0.12:80=10.244.200.3:8080 --service 10.96.0.13:80=10.244.200.4:8080"
for cap in /tmp/memreplay.pcap /tmp/memreplay-full.pcap; do
  c=$(basename $cap .pcap)
  $J replay $cap $S --format jsonl > "$out/$c.jsonl.out" 2> "$out/$c.jsonl.err"; echo $? > "$out/$c.jsonl.rc"
  $J replay $cap $S --format text > "$out/$c.text.out" 2> "$out/$c.text.err"; echo $? > "$out/$c.text.rc"
  $J diagnose $cap $S > "$out/$c.diag.out" 2> "$out/$c.diag.err"; echo $? > "$out/$c.diag.rc"
done
