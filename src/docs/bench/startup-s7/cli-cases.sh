#!/bin/bash
# usage: run.sh JAR OUTDIR
jar=$1; out=$2; mkdir -p $out; i=0
cd /work/wt/s7-start
while IFS= read -r line; do
  i=$((i+1)); read -r -a args <<<"$line"
  KPSIM_HOME=/work/wt/s7-start java -XX:+UseSerialGC -jar $jar "${args[@]}" >$out/$i.out 2>$out/$i.err </dev/null; echo $? >$out/$i.rc
done < /tmp/s7start/cmp/cases.txt
