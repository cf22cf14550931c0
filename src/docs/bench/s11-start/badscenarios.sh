#!/bin/bash
# badscenarios.sh DIR: erroneous variants of bench-tiny-exchange.yaml (syntax, indentation, every unit's parse and
# range, kube-proxy version and conntrack, kernel, a route naming a missing link, a folded scalar, a CIDR with
# host bits, an empty file), for cmpoutputs.sh.
set -e
D=$1; T=/work/wt/s11-start/benchmarks/scenarios/bench-tiny-exchange.yaml; mkdir -p "$D"; cd "$D"
sed 's/^  seed: 1$/  seed: [1/' $T > syntax.yaml
sed 's/^  duration: 1s$/   duration: 1s/' $T > indent.yaml
sed 's/^  duration: 1s$/  duration: 1parsec/' $T > duration.yaml
sed 's/^  duration: 1s$/  duration: 0s/' $T > duration-range.yaml
sed 's/bandwidth: 1Gbit/bandwidth: 1Gbitz/' $T > rate.yaml
sed 's/bandwidth: 1Gbit/bandwidth: 0bit/' $T > rate-range.yaml
sed 's/fileSize: 1KiB/fileSize: 1KiBx/' $T > size.yaml
sed 's/fileSize: 1KiB/fileSize: 0B/' $T > size-range.yaml
sed 's/    dropInvalid: false/    dropInvalid: false\n    version: "1.x"/' $T > kpversion.yaml
sed 's/    dropInvalid: false/    dropInvalid: false\n    version: "1.14"\n    conntrack: {maxPerCore: -5}/' $T > kpconntrack.yaml
sed 's/^  kernel: 4.19/  kernel: 9.9/' $T > kernel.yaml
sed 's/      podCIDR: 10.244.1.0\/24/      podCIDR: 10.244.1.0\/24\n      routes:\n        - to: 10.244.2.0\/24\n          via: node-b\n          link: nosuch/' $T > route-link.yaml
sed 's/  description: >/  description: >x/' $T > folded.yaml
sed 's/    clusterCIDR: 10.244.0.0\/16/    clusterCIDR: 10.244.0.1\/16/' $T > cidr.yaml
sed 's/delay: 500us/delay: 500 lightyears/' $T > delay.yaml
: > empty.yaml
