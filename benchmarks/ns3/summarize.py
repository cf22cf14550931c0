#!/usr/bin/env python3
"""Summarises benchmarks/compare-ns3.sh's runs.csv into medians per workload and variant.

    summarize.py RUNS.csv SUMMARY.csv SUMMARY.md

Packets: kpsim's count comes from its --format json run (the same scenario and seed simulate the
same packets in every output mode, and the text and quiet runs' counts are checked against it); ns-3's from
its own JSON line. Packets per second are packets over the median wall time. "json / ns-3" and
"quiet / ns-3" compare packets per wall-clock second; "json / quiet" compares time and memory.
"""
import csv
import statistics
import sys

VARIANTS = ["kpsim-json", "kpsim-quiet", "kpsim-text", "ns3"]
KPSIM = VARIANTS[:3]


def read_runs(path):
    with open(path, newline="") as f:
        rows = [line for line in f if not line.startswith("#")]
    return list(csv.DictReader(rows))


def median(values):
    return statistics.median(values) if values else None


def summarise(runs):
    order = []
    cells = {}
    for r in runs:
        key = (r["workload"], r["variant"])
        if r["workload"] not in order:
            order.append(r["workload"])
        cells.setdefault(key, []).append(r)
    table = {}
    notes = []
    for workload in order:
        json_packets = {r["packets"] for r in cells.get((workload, "kpsim-json"), []) if r["packets"]}
        for variant in VARIANTS:
            rs = cells.get((workload, variant), [])
            if not rs:
                continue
            walls = [float(r["wall_seconds"]) for r in rs]
            cpus = [float(r["user_seconds"]) + float(r["system_seconds"]) for r in rs]
            rss = [int(r["max_rss_kib"]) / 1024 for r in rs]
            loads = [float(r["load1_before"]) for r in rs]
            exits = sorted({r["exit_code"] for r in rs})
            own = {r["packets"] for r in rs if r["packets"]}
            if variant in KPSIM:
                if variant != "kpsim-json" and own and own != json_packets:
                    notes.append(f"{workload}: {variant} counted {sorted(own)} packets, "
                                 f"json {sorted(json_packets)}")
                counted = json_packets
            else:
                counted = own
            if len(counted) > 1:
                notes.append(f"{workload} {variant}: packet counts differ between repetitions: {sorted(counted)}")
            packets = int(next(iter(counted))) if counted else None
            expected_exit = {"0"}
            if set(exits) != expected_exit:
                notes.append(f"{workload} {variant}: exit codes {', '.join(exits)} (expected 0)")
            wall = median(walls)
            table[(workload, variant)] = {
                "runs": len(rs),
                "packets": packets,
                "wall": wall,
                "wall_min": min(walls),
                "wall_max": max(walls),
                "cpu": median(cpus),
                "rss": median(rss),
                "pps": packets / wall if packets and wall else None,
                "load_min": min(loads),
                "load_max": max(loads),
                "exits": " ".join(exits),
            }
    return order, table, notes


def ratio(a, b):
    return a / b if a and b else None


def fmt_ratio(x):
    return f"{x:.2f}x" if x is not None else "—"


def fmt_rate(x):
    if x is None:
        return "—"
    if x >= 1e6:
        return f"{x / 1e6:.2f}M"
    if x >= 1e3:
        return f"{x / 1e3:.0f}k"
    return f"{x:.0f}"


def fmt_count(c):
    return f"{c['packets']:,}" if c and c["packets"] else "—"


def fmt_cell(c):
    if c is None:
        return "—"
    return f"{c['wall']:.2f} s, {c['rss']:.0f} MiB"


def write_csv(path, order, table):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["workload", "variant", "runs", "packets", "wall_median_s", "wall_min_s", "wall_max_s",
                    "cpu_median_s", "max_rss_median_mib", "packets_per_wall_second", "load1_min", "load1_max",
                    "exit_codes"])
        for workload in order:
            for variant in VARIANTS:
                c = table.get((workload, variant))
                if c:
                    w.writerow([workload, variant, c["runs"], c["packets"] or "", f"{c['wall']:.3f}",
                                f"{c['wall_min']:.3f}", f"{c['wall_max']:.3f}", f"{c['cpu']:.3f}",
                                f"{c['rss']:.1f}", f"{c['pps']:.0f}" if c["pps"] else "", f"{c['load_min']:.2f}",
                                f"{c['load_max']:.2f}", c["exits"]])


def markdown(order, table, notes):
    runs = max((c["runs"] for c in table.values()), default=0)
    out = [f"Medians of {runs} interleaved runs; wall time and peak RSS (`/usr/bin/time`).", "",
           "| workload | packets kpsim / ns-3 | kpsim `--format json` | kpsim `--quiet` | kpsim text | ns-3 "
           "| load before runs |",
           "|---|---|---|---|---|---|---|"]
    for workload in order:
        get = lambda v: table.get((workload, v))
        kp = get("kpsim-json")
        ns = get("ns3")
        loads = [c[k] for c in (get(v) for v in VARIANTS) if c for k in ("load_min", "load_max")]
        packets = f"{fmt_count(kp)} / {fmt_count(ns)}"
        out.append(f"| {workload} | {packets} | {fmt_cell(kp)} | {fmt_cell(get('kpsim-quiet'))} | "
                   f"{fmt_cell(get('kpsim-text'))} | {fmt_cell(ns)} | {min(loads):.1f}–{max(loads):.1f} |")
    out += ["", "Packets simulated per wall-clock second, and ratios:", "",
            "| workload | kpsim json | kpsim quiet | kpsim text | ns-3 | json ÷ ns-3 | quiet ÷ ns-3 "
            "| json ÷ quiet, time | json ÷ quiet, memory |",
            "|---|---|---|---|---|---|---|---|---|"]
    for workload in order:
        get = lambda v: table.get((workload, v)) or {}
        j, q, t, n = (get(v) for v in VARIANTS)
        out.append(f"| {workload} | {fmt_rate(j.get('pps'))} | {fmt_rate(q.get('pps'))} | {fmt_rate(t.get('pps'))} "
                   f"| {fmt_rate(n.get('pps'))} | {fmt_ratio(ratio(j.get('pps'), n.get('pps')))} "
                   f"| {fmt_ratio(ratio(q.get('pps'), n.get('pps')))} "
                   f"| {fmt_ratio(ratio(j.get('wall'), q.get('wall')))} "
                   f"| {fmt_ratio(ratio(j.get('rss'), q.get('rss')))} |")
    out += ["", "CPU seconds (user + system, median), which a busy machine inflates less than wall time:", "",
            "| workload | kpsim json | kpsim quiet | kpsim text | ns-3 | json ÷ ns-3, packets per CPU second |",
            "|---|---|---|---|---|---|"]
    for workload in order:
        get = lambda v: table.get((workload, v)) or {}
        j, q, t, n = (get(v) for v in VARIANTS)
        per_cpu = None
        if j.get("packets") and n.get("packets") and j.get("cpu") and n.get("cpu"):
            per_cpu = (j["packets"] / j["cpu"]) / (n["packets"] / n["cpu"])
        cpu = lambda c: f"{c['cpu']:.2f} s" if c else "—"
        out.append(f"| {workload} | {cpu(j)} | {cpu(q)} | {cpu(t)} | {cpu(n)} | {fmt_ratio(per_cpu)} |")
    if notes:
        out += ["", "Notes:", ""] + [f"- {n}" for n in notes]
    return "\n".join(out) + "\n"


def main(argv):
    if len(argv) != 4:
        print("usage: summarize.py RUNS.csv SUMMARY.csv SUMMARY.md", file=sys.stderr)
        return 2
    runs = read_runs(argv[1])
    if not runs:
        print(f"summarize.py: {argv[1]}: no runs recorded", file=sys.stderr)
        return 2
    order, table, notes = summarise(runs)
    write_csv(argv[2], order, table)
    with open(argv[3], "w") as f:
        f.write(markdown(order, table, notes))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
