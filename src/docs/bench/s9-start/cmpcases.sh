#!/bin/bash
# cmpcases.sh DIR_A DIR_B: run command lines in both checkouts, compare stdout, stderr, exit code
A=$1; B=$2; n=0; bad=0
while IFS= read -r line; do
  [ -z "$line" ] && continue
  for d in "$A" "$B"; do (cd "$d" && eval "./kpsim $line" >"$d.out" 2>"$d.err"; echo $? >"$d.rc"); done
  n=$((n+1))
  for x in out err rc; do cmp -s "$A.$x" "$B.$x" || { echo "DIFF ($x): $line"; bad=$((bad+1)); }; done
done <<'CASES'
run benchmarks/scenarios/bench-tiny-exchange.yaml --quiet
run benchmarks/scenarios/bench-tiny-exchange.yaml
run benchmarks/scenarios/bench-tiny-exchange.yaml --format json
run --help
run -h
--help
--version
run -V
rules --help
diagnose --help
validate benchmarks/scenarios/bench-tiny-exchange.yaml
run benchmarks/scenarios/bench-tiny-exchange.yaml --format xml
run benchmarks/scenarios/bench-tiny-exchange.yaml --snaplen x
run benchmarks/scenarios/bench-tiny-exchange.yaml --seed 7 --quiet --be-liberal --drop-invalid --kernel 4.19
run benchmarks/scenarios/bench-tiny-exchange.yaml --set spec.seed=3 --set spec.links[0].loss=1% --quiet
run benchmarks/scenarios/bench-tiny-exchange.yaml --proxy-mode foo
run benchmarks/scenarios/bench-tiny-exchange.yaml --kube-proxy-version 1.14 --quiet
run benchmarks/scenarios/bench-tiny-exchange.yaml --bogus
run nosuch.yaml
run benchmarks/scenarios/bench-tiny-exchange.yaml --all --absolute-seq
run benchmarks/scenarios/bench-tiny-exchange.yaml --html /nonexistent/x.html
run benchmarks/scenarios/bench-tiny-exchange.yaml --svg /dev/null
run benchmarks/scenarios/bench-tiny-exchange.yaml --compare-fixes --quiet
run benchmarks/scenarios/bench-tiny-exchange.yaml --pcap /proc/nope/dir
run benchmarks/scenarios/bench-tiny-exchange.yaml --ignore-memory-estimate --quiet
run --quiet 2>&1 | sed "s,/tmp/s9start/[a-z0-9]*/,X/,g"
rules benchmarks/scenarios/bench-tiny-exchange.yaml --seed 3
rules benchmarks/scenarios/bench-tiny-exchange.yaml --proxy-mode nope
run benchmarks/scenarios/bench-tiny-exchange.yaml --seed notanumber
CASES
echo "cases $n, differing files $bad"
