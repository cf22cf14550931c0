#!/bin/bash
# mkvariant.sh NAME: a checkout-shaped copy of the s9-start worktree's launcher, sources and jar, with its own archive
set -e
d=/tmp/s9start/$1; rm -rf "$d"; mkdir -p "$d/simulator/target" "$d/benchmarks"
cd /work/wt/s9-start
cp kpsim pom.xml "$d/"; cp simulator/pom.xml "$d/simulator/"; cp -r simulator/src "$d/simulator/"; rm -rf "$d/simulator/src/test"
cp -r simulator/jvm "$d/simulator/"; cp -r benchmarks/scenarios "$d/benchmarks/"
cp simulator/target/kpsim.jar "$d/simulator/target/kpsim.jar"; touch "$d/simulator/target/kpsim.jar"
cd "$d" && ./kpsim --version >/dev/null
