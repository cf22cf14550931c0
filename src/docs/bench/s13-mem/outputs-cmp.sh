#!/usr/bin/env bash
# usage: outputs-cmp.sh JAR OUTDIR -- every library and bench scenario as text, --format json and
# --quiet --pcap; scale-100k and table-full-131072 quiet and as json; then every capture of the
# library scenarios and of bench-100-downloads replayed as jsonl and text (not with REPLAY_CAPTURES=0,
# as session 12's outputs-cmp.sh runs it). Compare two OUTDIRs with diff -r.
set -u
jar=$(realpath "$1"); out=$(realpath -m "$2"); rm -rf "$out"; mkdir -p "$out"
cd "$(dirname "$0")/../../../.."
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
[ "${REPLAY_CAPTURES:-1}" = 0 ] && exit 0
for cap in "$out"/*.pcap.d/*.pcap; do
  case "$cap" in *bench-1000-*|*bench-10000-*) continue;; esac
  c=$(basename "$(dirname "$cap")" .pcap.d)-$(basename "$cap" .pcap)
  $J replay "$cap" --format jsonl > "$out/replay-$c.jsonl.out" 2> "$out/replay-$c.jsonl.err"; echo $? > "$out/replay-$c.jsonl.rc"
  $J replay "$cap" --format text > "$out/replay-$c.text.out" 2> "$out/replay-$c.text.err"; echo $? > "$out/replay-$c.text.rc"
done
