#!/bin/bash
# Compares base and new jar outputs (stdout, stderr, exit) byte for byte; prints one line per case and a count.
BASE=/tmp/s12base.jar; NEW=$1; W=/tmp/replay-cmp; rm -rf $W; mkdir -p $W/pcap
cd /work/wt/s12-replay
J="java -XX:+UseSerialGC -XX:MaxNewSize=32m -jar"
n=0; bad=0
cmpcase() { # name, args...
  local name=$1; shift
  $J $BASE "$@" > $W/b.out 2> $W/b.err; echo $? > $W/b.rc
  $J $NEW "$@" > $W/n.out 2> $W/n.err; echo $? > $W/n.rc
  local m1=$(cat $W/b.out $W/b.err $W/b.rc | md5sum | cut -c1-12) m2=$(cat $W/n.out $W/n.err $W/n.rc | md5sum | cut -c1-12)
  n=$((n+1)); if [ "$m1" = "$m2" ]; then echo "same $m1 $(stat -c %s $W/b.out)B rc=$(cat $W/b.rc) $name"; else bad=$((bad+1)); echo "DIFF $m1 $m2 $name"; fi
}
for s in blog-reset blog-reset-drop-invalid asymmetric-no-fix; do
  mkdir -p $W/pcap/$s; $J $BASE run scenarios/$s.yaml --quiet --pcap $W/pcap/$s > /dev/null 2>&1
done
for f in $(find $W/pcap -name "*.pcap*" | sort); do
  for fmt in text jsonl; do
    cmpcase "replay $fmt $f" replay --format $fmt $f
    cmpcase "replay $fmt --be-liberal --drop-invalid $f" replay --format $fmt --be-liberal --drop-invalid $f
  done
done
SV="$(java -cp benchmarks/target/benchmarks.jar io.kpsim.bench.ReplayCaptureGenerator --services)"
C1=benchmarks/target/replay-1000000-1000.pcap
for fmt in text jsonl; do
  cmpcase "replay $fmt 1M" replay --format $fmt $SV $C1
  cmpcase "replay $fmt 1M nf_conntrack_max=25000" replay --format $fmt --sysctl net.netfilter.nf_conntrack_max=25000 $SV $C1
done
cmpcase "diagnose 1M" diagnose $SV $C1
for s in scenarios/*.yaml; do
  cmpcase "run text $s" run $s
  cmpcase "run json $s" run --format json $s
done
echo "compared $n cases (stdout+stderr+exit each), $bad differ"
