#!/bin/bash
# cmpoutputs.sh DIR_A DIR_B OUTDIR: runs every scenario of the library and two bench scenarios (text, --format json,
# --quiet), erroneous scenarios (BAD_DIR/*.yaml, made by badscenarios.sh), help and bad command lines through the
# jars of two variant directories (mkvariant.sh; each with the archive its launcher made, the launcher's collector
# options), A and B side by side, from the repository root, and compares stdout, stderr and exit code with cmp.
set -u
A=$1; B=$2; OUT=$3; BAD=${BAD_DIR:-/tmp/s11start/bad}
cd /work/wt/s11-start
mkdir -p "$OUT"; n=0; bad=0
run() { # NAME ARGS...
  local name=$1; shift
  for j in A B; do
    local d; [ $j = A ] && d=$A || d=$B
    (timeout 600 java -XX:SharedArchiveFile="$d/simulator/target/kpsim.jsa" -Xlog:cds*=off -XX:+UnlockDiagnosticVMOptions \
      -XX:ArchiveRelocationMode=0 -XX:+UseSerialGC -XX:MaxNewSize=32m -cp "$d/simulator/target/kpsim.jar" io.kpsim.cli.Main \
      "$@" >"$OUT/$name.$j.out" 2>"$OUT/$name.$j.err"; echo $? >"$OUT/$name.$j.rc") &
  done
  wait
  for x in out err rc; do
    n=$((n+1))
    if ! cmp -s "$OUT/$name.A.$x" "$OUT/$name.B.$x"; then echo "DIFF $name.$x"; bad=$((bad+1)); fi
  done
}
for f in scenarios/*.yaml benchmarks/scenarios/bench-tiny-exchange.yaml benchmarks/scenarios/bench-100-downloads.yaml; do
  b=$(basename "$f" .yaml)
  run "$b.text" run "$f"
  run "$b.json" run "$f" --format json
  run "$b.quiet" run "$f" --quiet
done
for f in "$BAD"/*.yaml; do
  b=$(basename "$f" .yaml)
  run "bad-$b.run" run "$f" --quiet
  run "bad-$b.validate" validate "$f"
done
T=benchmarks/scenarios/bench-tiny-exchange.yaml
run help --help; run version --version; run run-help run --help; run rules-help rules --help
run validate-help validate --help; run diagnose-help diagnose --help; run replay-help replay --help
run kernels kernels; run noargs; run typo runn "$T"
run bad-format run "$T" --format xml; run bad-seed run "$T" --seed x; run bad-option run "$T" --bogus
run missing run nosuch.yaml; run set run "$T" --set spec.seed=3 --set spec.links[0].loss=1% --quiet
run set-bad run "$T" --set spec.nosuch=3; run kernel419 run "$T" --kernel 4.19 --quiet
run kpv run "$T" --kube-proxy-version 1.14 --quiet; run rules rules "$T"; run validate validate "$T"
run all run "$T" --all --absolute-seq
echo "compared files $n, differing $bad"
