#!/usr/bin/env bash
# Builds benchmarks/ns3 (kpsim's workloads in ns-3 3.37) and runs it with the given arguments.
#
#   benchmarks/ns3/run.sh --downloads=10 --fileSize=2097152 --duration=1s
#   benchmarks/ns3/run.sh --build-only        # install and build, print the binary's path
#   benchmarks/ns3/run.sh --PrintHelp         # ns-3's CommandLine help
#
# Installs Debian's libns3-dev (3.37) with apt-get when it is missing (root only), then compiles
# src/*.cc with g++ against it (flags from pkg-config) into benchmarks/ns3/target/, again only
# when a source is newer than the binary. The Maven build and tests never run this.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
target="$here/target"
binary="$target/kpsim-ns3-bench"
modules=(ns3-core ns3-network ns3-internet ns3-point-to-point ns3-applications ns3-traffic-control)

if ! dpkg-query -W -f='${Status}' libns3-dev 2>/dev/null | grep -q 'install ok installed'; then
  if [ "$(id -u)" != 0 ]; then
    echo "ns3/run.sh: libns3-dev is not installed; run as root or: sudo apt-get install libns3-dev" >&2
    exit 2
  fi
  echo "ns3/run.sh: installing libns3-dev ..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends libns3-dev g++ pkg-config >/dev/null \
    || { apt-get update -qq && apt-get install -y -qq --no-install-recommends libns3-dev g++ pkg-config >/dev/null; }
fi
version="$(pkg-config --modversion ns3-core)"
if [ "$version" != 3.37 ]; then
  echo "ns3/run.sh: found ns-3 $version through pkg-config; this program is written for 3.37" >&2
  exit 2
fi

if [ ! -x "$binary" ] || [ -n "$(find "$here/src" "$here/run.sh" -newer "$binary" -print -quit)" ]; then
  mkdir -p "$target"
  echo "ns3/run.sh: compiling $binary ..." >&2
  # Debian's .pc files for 3.37 carry a stray "-I/usr;" in Cflags, and in Libs the paths of
  # libgsl.so and libgslcblas.so, which only libgsl-dev installs; libns3-core.so.37 already
  # names libgsl.so.27 itself. So keep only the -I, -L and -l words.
  cflags="$(pkg-config --cflags "${modules[@]}" | tr ' ' '\n' | grep -E '^-I[^;]*$' | sort -u | tr '\n' ' ')"
  libs="$(pkg-config --libs "${modules[@]}" | tr ' ' '\n' | grep -E '^-[Ll]' | tr '\n' ' ')"
  # shellcheck disable=SC2086
  g++ -std=c++17 -O2 -Wall -Wextra $cflags -o "$binary.tmp" "$here"/src/*.cc $libs
  mv "$binary.tmp" "$binary"
fi

if [ "${1:-}" = --build-only ]; then
  echo "$binary"
  exit 0
fi
exec "$binary" "$@"
