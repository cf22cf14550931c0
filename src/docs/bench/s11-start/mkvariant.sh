#!/bin/bash
# mkvariant.sh NAME JAR [LAUNCHER]: a checkout-shaped directory /tmp/s11start/NAME with the s11-start worktree's
# pom files, simulator/src/main, simulator/jvm and benchmark scenarios, the given jar and launcher (default: the
# worktree's ./kpsim), and the class-data archive that launcher prepares for that jar.
set -e
wt=/work/wt/s11-start
d=/tmp/s11start/$1; rm -rf "$d"; mkdir -p "$d/simulator/target" "$d/benchmarks"
cp "${3:-$wt/kpsim}" "$d/kpsim"; chmod +x "$d/kpsim"; cp "$wt/pom.xml" "$d/"; cp "$wt/simulator/pom.xml" "$d/simulator/"
cp -r "$wt/simulator/src" "$d/simulator/"; rm -rf "$d/simulator/src/test"
cp -r "$wt/simulator/jvm" "$d/simulator/"; cp -r "$wt/benchmarks/scenarios" "$wt/scenarios" "$d/benchmarks/"
cp "$2" "$d/simulator/target/kpsim.jar"; touch "$d/simulator/target/kpsim.jar"
cd "$d" && ./kpsim --version >/dev/null
