#!/bin/bash
# Replay outputs of a jar against the base jar's, byte for byte (md5 of stdout, stderr and exit code).
#   compare-outputs.sh base        -- makes the captures of every scenarios/*.yaml (base's `run --quiet
#                                     --pcap`) and records the base jar's md5 for each case
#   compare-outputs.sh new JAR     -- the same cases with JAR; one line per case and a count
# Cases: each capture replayed as text, jsonl, and jsonl --be-liberal --drop-invalid (--iptables-save
# is not touched by this branch).
BASE=/tmp/s13base.jar; W=/tmp/s13replay-cmp
root="$(cd "$(dirname "$0")/../../../.." && pwd)"; cd "$root"
J="nice -n 10 java -XX:+UseSerialGC -XX:MaxNewSize=32m -jar"
mode=$1; JAR=${2:-$BASE}
if [ "$mode" = base ]; then
  rm -rf $W; mkdir -p $W/pcap
  for s in scenarios/*.yaml; do n=$(basename $s .yaml); mkdir -p $W/pcap/$n; $J $BASE run $s --quiet --pcap $W/pcap/$n > /dev/null 2>&1; done
fi
out=$W/$mode.md5; : > $out
for f in $(find $W/pcap -name "*.pcap*" | sort); do
  for args in "--format text" "--format jsonl" "--format jsonl --be-liberal --drop-invalid"; do
    $J $JAR replay $args $f > $W/o 2> $W/e; echo $? > $W/r
    echo "$(cat $W/o $W/e $W/r | md5sum | cut -c1-32) $(stat -c %s $W/o) replay $args ${f#$W/pcap/}" >> $out
  done
done
if [ "$mode" != base ]; then
  n=$(wc -l < $out); bad=$(diff <(cut -d' ' -f1,3- $W/base.md5) <(cut -d' ' -f1,3- $out) | grep -c '^>')
  echo "captures: $(find $W/pcap -name '*.pcap*' | wc -l); cases: $n; differ: $bad"
fi
