#!/bin/bash
# mkvariant.sh NAME JAR [LAUNCHER]: a checkout-shaped directory /tmp/s10start/NAME with the s10-start worktree's
# pom files, simulator/src/main, simulator/jvm and benchmark scenarios, the given jar and launcher (default: the
# worktree's ./kpsim), and the class-data archive that launcher prepares for that jar. MKVARIANT_WORKTREE and
# MKVARIANT_DIR name another worktree and parent directory (session 11's mkvariant.sh sets them).
set -e
wt=${MKVARIANT_WORKTREE:-/work/wt/s10-start}
d=${MKVARIANT_DIR:-/tmp/s10start}/$1; rm -rf "$d"; mkdir -p "$d/simulator/target" "$d/benchmarks"
cp "${3:-$wt/kpsim}" "$d/kpsim"; chmod +x "$d/kpsim"; cp "$wt/pom.xml" "$d/"; cp "$wt/simulator/pom.xml" "$d/simulator/"
cp -r "$wt/simulator/src" "$d/simulator/"; rm -rf "$d/simulator/src/test"
cp -r "$wt/simulator/jvm" "$d/simulator/"; cp -r "$wt/benchmarks/scenarios" "$wt/scenarios" "$d/benchmarks/"
cp "$2" "$d/simulator/target/kpsim.jar"; touch "$d/simulator/target/kpsim.jar"
cd "$d" && ./kpsim --version >/dev/null
