#!/usr/bin/env python3
"""Draws ns/op against table size per implementation from a JMH JSON result, as an SVG.

Usage: plot.py RESULT.json OUT.svg [--only SUFFIX]   (e.g. --only Hit: methods ending in Hit)

Standard library only, so it runs anywhere the benchmarks do. Benchmarks without a
`connections` parameter are ignored; each method becomes one line, one point per size.
"""
import json
import math
import sys

COLOURS = ["#1b6ca8", "#d1495b", "#edae49", "#00798c", "#66a182", "#8d5a97", "#30343f", "#e07a5f"]


def series(results, only):
    lines = {}
    for r in results:
        params = r.get("params") or {}
        if "connections" not in params:
            continue
        name = r["benchmark"].rsplit(".", 1)[-1]
        if only and not name.endswith(only):
            continue
        score = r["primaryMetric"]["score"]
        unit = r["primaryMetric"]["scoreUnit"]
        if unit == "us/op":
            score *= 1000.0
        elif unit != "ns/op":
            continue
        lines.setdefault(name, []).append((int(params["connections"]), score))
    return {k: sorted(v) for k, v in sorted(lines.items())}


def svg(lines, title):
    w, h, left, right, top, bottom = 760, 440, 70, 220, 40, 60
    xs = sorted({x for pts in lines.values() for x, _ in pts})
    ymax = max(y for pts in lines.values() for _, y in pts) * 1.1
    lx0, lx1 = math.log2(xs[0]), math.log2(xs[-1])

    def px(x):
        return left + (math.log2(x) - lx0) / max(lx1 - lx0, 1e-9) * (w - left - right)

    def py(y):
        return h - bottom - y / ymax * (h - top - bottom)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="12">',
           f'<rect width="{w}" height="{h}" fill="white"/>',
           f'<text x="{left}" y="22" font-size="15">{title}</text>',
           f'<line x1="{left}" y1="{h - bottom}" x2="{w - right}" y2="{h - bottom}" stroke="black"/>',
           f'<line x1="{left}" y1="{top}" x2="{left}" y2="{h - bottom}" stroke="black"/>']
    for x in xs:
        out.append(f'<text x="{px(x):.1f}" y="{h - bottom + 18}" text-anchor="middle">{x:,}</text>')
    for i in range(6):
        y = ymax * i / 5
        out.append(f'<line x1="{left - 4}" y1="{py(y):.1f}" x2="{w - right}" y2="{py(y):.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{left - 8}" y="{py(y) + 4:.1f}" text-anchor="end">{y:.0f}</text>')
    out.append(f'<text x="{(left + w - right) / 2}" y="{h - 15}" text-anchor="middle">connections in the table (log scale)</text>')
    out.append(f'<text x="18" y="{(top + h - bottom) / 2}" transform="rotate(-90 18 {(top + h - bottom) / 2})" text-anchor="middle">ns/op (lower is better)</text>')
    for i, (name, pts) in enumerate(lines.items()):
        c = COLOURS[i % len(COLOURS)]
        path = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in pts)
        out.append(f'<polyline points="{path}" fill="none" stroke="{c}" stroke-width="2"/>')
        for x, y in pts:
            out.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" fill="{c}"/>')
        ly = top + 10 + i * 18
        out.append(f'<line x1="{w - right + 15}" y1="{ly}" x2="{w - right + 35}" y2="{ly}" stroke="{c}" stroke-width="2"/>')
        out.append(f'<text x="{w - right + 40}" y="{ly + 4}">{name}</text>')
    out.append("</svg>")
    return "\n".join(out)


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    only = None
    if "--only" in argv:
        only = argv[argv.index("--only") + 1]
    with open(argv[1]) as f:
        results = json.load(f)
    lines = series(results, only)
    if not lines:
        sys.exit(f"{argv[1]}: no benchmark with a 'connections' parameter in ns/op or us/op")
    title = "Conntrack table lookup" + (f" ({only.lower()}s)" if only else "")
    with open(argv[2], "w") as f:
        f.write(svg(lines, title) + "\n")


if __name__ == "__main__":
    main(sys.argv)
