#!/usr/bin/env python3
"""Start-up of kpsim: whole commands end to end, or one command cut into its phases.

    benchmarks/startup.py                        # end to end, 10 repetitions
    benchmarks/startup.py --before OLD.jar       # the same, and OLD.jar as the old launcher ran it
    benchmarks/startup.py --phases [--before OLD.jar]   # StartupPhases in fresh JVMs
    benchmarks/startup.py --jit [--ns3]          # short and long runs: C1 for short runs, or the JVM's default

End to end, each repetition runs every workload (tiny scenario: run --quiet, text, JSON;
validate; replay of a small capture; --version) once with each variant: ./kpsim as users run
it (with its class-data archive), ./kpsim with KPSIM_CDS=off, and with --before, `java -jar
OLD.jar` (the old launcher's command). The variant that goes first rotates from one repetition
to the next, so a change of machine load hits all of them alike. Each run records the 1-minute
load average before it, its wall time, its CPU time (user + system, from wait4) and its peak
resident memory. --phases runs io.kpsim.bench.StartupPhases instead (see its javadoc) with and
without the archive (and on OLD.jar), and reports each phase's wall time, main-thread CPU time
and process CPU time.

--jit measures the launcher's choice of JIT compilers (io.kpsim.cli.CompilerTiers): `run --quiet`
and `run --format json` of the tiny exchange, the blog scenario and 100 downloads, each through
./kpsim as users run it (a short run ends on C1's code, a long one gets C2 back) and through
./kpsim with KPSIM_JIT=all-tiers (the JVM's default tiers, as before); with --ns3 also the ns-3
program of benchmarks/ns3/ on the same workloads (built by its run.sh before anything is timed).

On a shared, loaded machine wall time mostly measures the wait for a core. --realtime runs every
measured process at real-time priority (SCHED_FIFO 10; needs root), ahead of the machine's other
work, which approximates what the same machine shows when idle (the kernel still keeps 5% of
each second for the rest). Without it, the figures are what a loaded machine gives a user.

Output, in OUTDIR (default benchmarks/target/startup-DATE-TIME): runs.csv (one line per run,
written as it goes) and summary.md (medians; also printed). Needs the jar built by ./kpsim and,
for --phases, benchmarks/target/kpsim-benchmarks.jar (mvn -B -DskipTests package). Linux only.
See src/docs/benchmarks.md, "Start-up".
"""

import argparse
import csv
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JAR = ROOT / "simulator/target/kpsim.jar"
ARCHIVE = ROOT / "simulator/target/kpsim.jsa"
BENCH_JAR = ROOT / "benchmarks/target/kpsim-benchmarks.jar"
SCENARIO = ROOT / "benchmarks/scenarios/bench-tiny-exchange.yaml"
SERVICE = "10.96.0.10:80=10.244.2.2:8080"
PHASES = ["jvm", "picocli", "yaml", "cluster", "simulate", "run-quiet-again", "run-text", "run-json",
          "pcap", "management", "exit"]


def fail(message):
    print(f"startup.py: {message}", file=sys.stderr)
    sys.exit(2)


def workloads(capture):
    """Name and kpsim arguments of each end-to-end workload."""
    s = str(SCENARIO)
    return [
        ("run-quiet", ["run", s, "--quiet"]),
        ("run-text", ["run", s]),
        ("run-json", ["run", s, "--format", "json"]),
        ("validate", ["validate", s]),
        ("replay", ["replay", "--service", SERVICE, str(capture)]),
        ("version", ["--version"]),
    ]


JIT_WORKLOADS = [
    ("tiny", "benchmarks/scenarios/bench-tiny-exchange.yaml", "--downloads=1 --fileSize=1024 --duration=1s"),
    ("blog", "scenarios/blog-reset.yaml", "--downloads=10 --fileSize=2097152 --duration=1s"),
    ("100-downloads", "benchmarks/scenarios/bench-100-downloads.yaml",
     "--downloads=100 --fileSize=2097152 --duration=5s"),
]


def timed(command, env=None):
    """Runs command with its output discarded: (wall s, CPU s, peak RSS MiB, exit code)."""
    start = time.monotonic_ns()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    err = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = (time.monotonic_ns() - start) / 1e9
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        fail(f"{' '.join(map(str, command))} exited {process.returncode}: {err.decode(errors='replace')[-400:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, process.returncode


def rotated(items, turn):
    k = turn % len(items)
    return items[k:] + items[:k]


def machine():
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()
    return f"{os.cpu_count()} CPUs ({model}), Linux {platform.release()}, {java[1] if len(java) > 1 else java}"


def summary(rows, sorted_keys):
    """Markdown lines: medians per workload and variant, in the order first run or sorted."""
    lines = ["| workload | variant | wall median (s) | wall min (s) | CPU median (s) | peak RSS (MiB) | load |",
             "|---|---|---|---|---|---|---|"]
    keys = []
    for r in rows:
        if (r[1], r[2]) not in keys:
            keys.append((r[1], r[2]))
    for workload, variant in (sorted(keys) if sorted_keys else keys):
        rs = [r for r in rows if r[1] == workload and r[2] == variant]
        walls = [float(r[4]) for r in rs]
        loads = [float(r[3]) for r in rs]
        lines.append(f"| {workload} | {variant} | {statistics.median(walls):.3f} | {min(walls):.3f} | "
                     f"{statistics.median(float(r[5]) for r in rs):.3f} | "
                     f"{statistics.median(float(r[6]) for r in rs):.0f} | {min(loads):.1f}-{max(loads):.1f} |")
    return lines


def end_to_end(args, out):
    capture_dir = Path(tempfile.mkdtemp(prefix="kpsim-startup-"))
    subprocess.run([str(ROOT / "kpsim"), "run", str(SCENARIO), "--quiet", "--pcap", str(capture_dir)], check=True)
    capture = capture_dir / "node-a.before-nat.pcap"
    variants = [("launcher", [str(ROOT / "kpsim")], {}), ("no-cds", [str(ROOT / "kpsim")], {"KPSIM_CDS": "off"})]
    if args.before:
        variants.append(("before", ["java", "-jar", str(args.before)], {}))
    rows = []
    with open(out / "runs.csv", "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["repetition", "workload", "variant", "load1", "wall_s", "cpu_s", "rss_mib", "exit"])
        for rep in range(args.repetitions):
            for name, kpsim_args in workloads(capture):
                for variant, prefix, extra in rotated(variants, rep):
                    load = os.getloadavg()[0]
                    env = dict(os.environ, KPSIM_HOME=str(ROOT), **extra)
                    wall, cpu, rss, code = timed(prefix + kpsim_args, env)
                    row = [rep, name, variant, f"{load:.2f}", f"{wall:.4f}", f"{cpu:.4f}", f"{rss:.0f}", code]
                    writer.writerow(row)
                    f.flush()
                    rows.append(row)
            load = os.getloadavg()[0]
            wall, cpu, rss, _ = timed(["java", "-Xshare:auto", "-version"])
            row = [rep, "java -version", "jvm", f"{load:.2f}", f"{wall:.4f}", f"{cpu:.4f}", f"{rss:.0f}", 0]
            writer.writerow(row)
            rows.append(row)
    for p in capture_dir.iterdir():
        p.unlink()
    capture_dir.rmdir()
    return summary(rows, sorted_keys=False)


def jit(args, out):
    ns3 = None
    if args.ns3:
        ns3 = subprocess.run([str(ROOT / "benchmarks/ns3/run.sh"), "--build-only"], check=True,
                             capture_output=True, text=True).stdout.strip().splitlines()[-1]
    runs = []
    for name, scenario, ns3_args in JIT_WORKLOADS:
        for output in (["--quiet"], ["--format", "json"]):
            label = f"{name} {' '.join(output)}"
            runs.append((label, "launcher", [str(ROOT / "kpsim"), "run", str(ROOT / scenario)] + output, {}))
            runs.append((label, "all-tiers", [str(ROOT / "kpsim"), "run", str(ROOT / scenario)] + output,
                         {"KPSIM_JIT": "all-tiers"}))
        if ns3:
            runs.append((f"{name} ns-3", "ns-3", [ns3] + ns3_args.split(), {}))
    rows = []
    with open(out / "runs.csv", "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["repetition", "workload", "variant", "load1", "wall_s", "cpu_s", "rss_mib", "exit"])
        for rep in range(args.repetitions):
            for workload, variant, command, extra in rotated(runs, rep):
                load = os.getloadavg()[0]
                wall, cpu, rss, code = timed(command, dict(os.environ, KPSIM_HOME=str(ROOT), **extra))
                row = [rep, workload, variant, f"{load:.2f}", f"{wall:.4f}", f"{cpu:.4f}", f"{rss:.0f}", code]
                writer.writerow(row)
                f.flush()
                rows.append(row)
    return summary(rows, sorted_keys=True)


def phases(args, out):
    if not BENCH_JAR.is_file():
        fail(f"{BENCH_JAR} is missing: build it with mvn -B -DskipTests package")
    cds = ["-XX:SharedArchiveFile=" + str(ARCHIVE), "-Xlog:cds*=off"]
    if not ARCHIVE.is_file():
        fail(f"{ARCHIVE} is missing: run ./kpsim once to prepare it")
    variants = [("cds", cds + ["-cp", f"{JAR}:{BENCH_JAR}"]), ("no-cds", ["-cp", f"{JAR}:{BENCH_JAR}"])]
    if args.before:
        variants.append(("before", ["-cp", f"{args.before}:{BENCH_JAR}"]))
    results = {v: {p: [] for p in PHASES} for v, _ in variants}
    totals = {v: {"wall": [], "cpu": [], "jit-ms": [], "gc": [], "classes": [], "load": []} for v, _ in variants}
    with open(out / "runs.csv", "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["repetition", "variant", "load1", "phase", "wall_ms", "main_cpu_ms", "process_cpu_ms"])
        for rep in range(args.repetitions):
            for variant, options in rotated(variants, rep):
                load = os.getloadavg()[0]
                start = time.monotonic_ns()
                process = subprocess.Popen(["java"] + options + ["io.kpsim.bench.StartupPhases", str(SCENARIO)],
                                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                stdout, stderr = process.communicate()
                ended = time.monotonic_ns()
                if process.returncode != 0:
                    fail(f"StartupPhases ({variant}) exited {process.returncode}: {stderr[-400:]}")
                measured = {}
                main_at = end_at = None
                for line in stdout.splitlines():
                    parts = line.split()
                    if parts[0] == "main":
                        main_at = int(parts[1])
                    elif parts[0] == "end":
                        end_at = int(parts[1])
                    elif parts[0] == "phase":
                        measured[parts[1]] = tuple(int(x) / 1e6 for x in parts[2:5])
                    elif parts[0] in ("jit-ms", "classes"):
                        totals[variant][parts[0]].append(int(parts[1]))
                    elif parts[0] == "gc":
                        totals[variant]["gc"].append(int(parts[1]))
                measured["jvm"] = ((main_at - start) / 1e6, float("nan"), float("nan"))
                measured["exit"] = ((ended - end_at) / 1e6, float("nan"), float("nan"))
                totals[variant]["wall"].append((ended - start) / 1e6)
                totals[variant]["load"].append(load)
                for phase in PHASES:
                    results[variant][phase].append(measured[phase])
                    writer.writerow([rep, variant, f"{load:.2f}", phase] + [f"{x:.2f}" for x in measured[phase]])
                f.flush()
    names = [v for v, _ in variants]
    header = "| phase | " + " | ".join(f"{v}: wall / main CPU / process CPU (ms)" for v in names) + " |"
    lines = [header, "|---|" + "---|" * len(names)]

    def cell(values):
        med = [statistics.median(v[i] for v in values) for i in range(3)]
        return " / ".join("-" if x != x else f"{x:.0f}" for x in med)

    for phase in PHASES:
        lines.append(f"| {phase} | " + " | ".join(cell(results[v][phase]) for v in names) + " |")
    lines.append("| **whole process** (wall) | " + " | ".join(
        f"{statistics.median(totals[v]['wall']):.0f}" for v in names) + " |")
    for key, label in (("jit-ms", "JIT compilation (ms, all compiler threads)"), ("gc", "GC pauses"),
                       ("classes", "classes loaded")):
        lines.append(f"| {label} | " + " | ".join(
            f"{statistics.median(totals[v][key]):.0f}" if totals[v][key] else "-" for v in names) + " |")
    lines.append("| load average (1 min) | " + " | ".join(
        f"{min(totals[v]['load']):.1f}-{max(totals[v]['load']):.1f}" for v in names) + " |")
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--repetitions", type=int, default=10, help="repetitions (default 10)")
    parser.add_argument("--before", type=Path, help="an older kpsim.jar to compare with")
    parser.add_argument("--phases", action="store_true", help="cut one run into phases (StartupPhases)")
    parser.add_argument("--jit", action="store_true",
                        help="short and long runs with the launcher's JIT choice and with KPSIM_JIT=all-tiers")
    parser.add_argument("--ns3", action="store_true", help="with --jit: the ns-3 program on the same workloads")
    parser.add_argument("-o", "--out", type=Path, help="output directory")
    parser.add_argument("--realtime", action="store_true",
                        help="run the measured processes at real-time priority (SCHED_FIFO; root)")
    args = parser.parse_args()
    if args.repetitions < 1:
        fail(f"--repetitions {args.repetitions}: expected at least 1")
    if args.before is not None and not args.before.is_file():
        fail(f"--before {args.before}: no such file")
    if args.before is not None:
        args.before = args.before.resolve()
    if args.ns3 and not args.jit:
        fail("--ns3 goes with --jit")
    if args.jit and args.phases:
        fail("--jit and --phases are separate measurements: choose one")
    if sys.platform != "linux":
        fail("Linux only (CPU times come from /proc and wait4)")
    # Builds the jar and the class-data archive when needed, before anything is timed.
    subprocess.run([str(ROOT / "kpsim"), "--version"], check=True, stdout=subprocess.DEVNULL)
    if args.realtime:
        try:
            os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(10))  # inherited by every child
        except PermissionError:
            fail("--realtime needs root (or CAP_SYS_NICE) for SCHED_FIFO")
    out = args.out or ROOT / "benchmarks/target" / time.strftime("startup-%Y%m%d-%H%M%S")
    out.mkdir(parents=True, exist_ok=True)
    started = os.getloadavg()[0]
    if args.jit:
        lines = jit(args, out)
    elif args.phases:
        lines = phases(args, out)
    else:
        lines = end_to_end(args, out)
    header = [f"machine: {machine()}",
              f"load average (1 min): {started:.2f} at the start, {os.getloadavg()[0]:.2f} at the end; "
              f"{args.repetitions} repetitions, medians"
              + ("; real-time priority (SCHED_FIFO 10)" if args.realtime else ""), ""]
    text = "\n".join(header + lines) + "\n"
    (out / "summary.md").write_text(text)
    print(text, end="")
    print(f"(runs in {out / 'runs.csv'})")


if __name__ == "__main__":
    main()
