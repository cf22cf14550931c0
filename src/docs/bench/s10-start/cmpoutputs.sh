#!/bin/bash
# cmpoutputs.sh BASE.jar NEW.jar: every scenario and the 100-download benchmark through both jars (java -cp JAR
# io.kpsim.cli.Main run ...): text, --format json, --all --absolute-seq, --pcap DIR, --html FILE, --svg DIR;
# stdout, stderr, exit codes and written files compared byte for byte. Prints one line per difference and a total.
set -u
wt=/work/wt/s10-start; out=/tmp/s10start/cmp; rm -rf "$out"; mkdir -p "$out"
diffs=0; n=0
for s in "$wt"/scenarios/*.yaml "$wt"/benchmarks/scenarios/bench-100-downloads.yaml; do
  b=$(basename "$s" .yaml)
  for mode in text json all pcap html svg; do
    for v in base new; do
      jar=$1; [ $v = new ] && jar=$2
      d="$out/$v/$b/$mode"; mkdir -p "$d/files"
      case $mode in
        text) args=() ;; json) args=(--format json) ;; all) args=(--all --absolute-seq) ;;
        pcap) args=(--pcap "$d/files/pcap" --quiet) ;; html) args=(--html "$d/files/r.html" --quiet) ;;
        svg) args=(--svg "$d/files/svg" --quiet) ;;
      esac
      (cd "$wt" && java -XX:+UseSerialGC -cp "$jar" io.kpsim.cli.Main run "$s" "${args[@]}" >"$d/stdout" 2>"$d/stderr"; echo $? >"$d/rc")
      sed -i "s|$out/$v/|$out/X/|g" "$d/stdout" "$d/stderr"
    done
    n=$((n + 1))
    if ! diff -r "$out/base/$b/$mode" "$out/new/$b/$mode" >/dev/null; then echo "DIFF $b $mode"; diffs=$((diffs + 1)); fi
  done
  [ "$b" = bench-100-downloads ] && rm -rf "$out"/*/"$b"
done
echo "$n comparisons, $diffs differing"
