"""Phase boundaries of `run TINY --quiet` from -Xlog:class+load's uptime stamps (session 7), each variant
(a directory with kpsim.jar and its archive) interleaved with `java -Xshare:auto -cp HELLO Hello` and
`java -version`, all at real-time priority. Usage: timeline.py N OUT.csv ROOT HELLO_DIR DIR1 DIR2 ..."""
import csv, os, re, statistics, subprocess, sys, tempfile, time

n, out, root, hello = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
dirs = sys.argv[5:]
MARKS = [("main", "io.kpsim.cli.Main "), ("yaml", "io.kpsim.scenario.ScenarioLoader "),
         ("cluster", "io.kpsim.scenario.ScenarioBuilder "), ("report", "io.kpsim.report.TextReport ")]
rows = []


def timed(cmd):
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=root)
    _, st, ru = os.wait4(p.pid, 0)
    assert os.waitstatus_to_exitcode(st) == 0, cmd
    return (time.monotonic() - t0) * 1000, (ru.ru_utime + ru.ru_stime) * 1000


for r in range(n):
    load = os.getloadavg()[0]
    rows.append([r, "hello", round(load, 2), "", "", "", "", "", *map(round, timed(
        ["chrt", "-f", "10", "java", "-Xshare:auto", "-XX:+UseSerialGC", "-cp", hello, "Hello"]))])
    rows.append([r, "java-version", round(load, 2), "", "", "", "", "", *map(round, timed(
        ["chrt", "-f", "10", "java", "-Xshare:auto", "-version"]))])
    for d in dirs:
        with tempfile.NamedTemporaryFile(suffix=".log") as log:
            wall, cpu = timed(["chrt", "-f", "10", "java", f"-XX:SharedArchiveFile={d}/kpsim.jsa", "-Xlog:cds*=off",
                               "-XX:+UseSerialGC", "-XX:MaxNewSize=32m", "-XX:+UnlockDiagnosticVMOptions",
                               f"-XX:CompilerDirectivesFile={root}/simulator/jvm/short-run.json",
                               "-XX:-DisplayVMOutput", "-Dkpsim.jit=short-run",
                               f"-Xlog:class+load:file={log.name}:uptime", "-jar", f"{d}/kpsim.jar", "run",
                               "benchmarks/scenarios/bench-tiny-exchange.yaml", "--quiet"])
            lines = open(log.name).read().splitlines()
        stamp = lambda l: float(re.match(r"\[([0-9.]+)s\]", l).group(1)) * 1000
        marks = [next(stamp(l) for l in lines if key in l) for _, key in MARKS]
        rows.append([r, os.path.basename(d), round(load, 2), *[round(m) for m in marks], round(stamp(lines[-1])),
                     round(wall), round(cpu)])
with open(out, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["repetition", "variant", "load1", "main_ms", "yaml_ms", "cluster_ms", "report_ms", "last_class_ms",
                "wall_ms", "cpu_ms"])
    w.writerows(rows)
med = lambda v, i: statistics.median(x[i] for x in rows if x[1] == v)
print("| variant | JVM to Main | Main to ScenarioLoader (picocli) | to ScenarioBuilder (YAML) | to TextReport "
      "(cluster, run) | to last class | last class to exit | wall | CPU |")
for v in ["hello", "java-version"]:
    print(f"| {v} | | | | | | | {med(v, 8):.0f} | {med(v, 9):.0f} |")
for d in dirs:
    v = os.path.basename(d)
    m = [med(v, i) for i in range(3, 10)]
    print(f"| {v} | {m[0]:.0f} | {m[1]-m[0]:.0f} | {m[2]-m[1]:.0f} | {m[3]-m[2]:.0f} | {m[4]-m[3]:.0f} |"
          f" {m[5]-m[4]:.0f} | {m[5]:.0f} | {m[6]:.0f} |")
print("load", min(x[2] for x in rows), "-", max(x[2] for x in rows))
