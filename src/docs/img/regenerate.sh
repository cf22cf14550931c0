#!/usr/bin/env bash
# Regenerates the PNG pictures of the blog scenario's report in this directory (src/docs/img/):
# runs `kpsim run scenarios/blog-reset.yaml --svg`, then renders each standalone SVG with headless
# Chromium at its own size. Needs Debian's `chromium` (the one the browser tests use).
#   src/docs/img/regenerate.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
browser="${CHROMIUM:-chromium}"
command -v "$browser" >/dev/null || { echo "regenerate.sh: $browser not found (apt-get install chromium)" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$root/kpsim" run "$root/scenarios/blog-reset.yaml" --svg "$work" >/dev/null
for name in ladder window-plot; do
  svg="$work/$name.svg"
  size="$(grep -o '<svg [^>]*>' "$svg" | head -1 | sed -E 's/.* width="([0-9]+)" height="([0-9]+)".*/\1,\2/')"
  "$browser" --headless=new --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
    --window-size="$size" --screenshot="$work/$name.png" "file://$svg" >/dev/null 2>&1
  mv "$work/$name.png" "$here/blog-$name.png"
  echo "wrote src/docs/img/blog-$name.png ($(wc -c <"$here/blog-$name.png") bytes, ${size/,/x})"
done
