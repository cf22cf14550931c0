"""Whole start-ups through the launcher (session 8): each variant is a directory laid out as a checkout (its own
./kpsim, simulator/target/kpsim.jar and the archive that launcher prepared, the same pom.xml and simulator/src/main
for the staleness check), run as `chrt -f 10 DIR/kpsim ARGS` from DIR, interleaved with the first variant rotating,
the 1-minute load recorded next to every run. With --phases each run also writes -Xlog:class+load (through
KPSIM_JAVA_OPTS) and the phases are read from its uptime stamps: JVM start to io.kpsim.cli.Main, picocli (to
ScenarioLoader), YAML (to ScenarioBuilder), cluster and run (to the last class), and the rest of the wall time
(the exit, plus the launcher and fork/exec, which the stamps do not see). LAUNCHERS_PRIORITY=normal in the
environment runs the launchers without chrt, at normal priority, as a user runs them (session 11). Usage:
  launchers.py [--phases] N OUT.csv DIR... -- KPSIM ARGS"""
import csv, os, re, statistics, subprocess, sys, tempfile, time

PRIORITY = [] if os.environ.get("LAUNCHERS_PRIORITY") == "normal" else ["chrt", "-f", "10"]

phases = sys.argv[1] == "--phases"
a = sys.argv[2:] if phases else sys.argv[1:]
n, out = int(a[0]), a[1]
sep = a.index("--")
dirs, args = a[2:sep], a[sep + 1:]
MARKS = ["io.kpsim.cli.Main ", "io.kpsim.scenario.ScenarioLoader ", "io.kpsim.scenario.ScenarioBuilder "]
rows = []
for r in range(n):
    for d in dirs[r % len(dirs):] + dirs[:r % len(dirs)]:
        env = dict(os.environ)
        env.pop("KPSIM_JAVA_OPTS", None)
        log = tempfile.NamedTemporaryFile(suffix=".log", delete=False).name
        if phases:
            env["KPSIM_JAVA_OPTS"] = f"-Xlog:class+load:file={log}:uptime"
        load = os.getloadavg()[0]
        t0 = time.monotonic()
        p = subprocess.Popen(PRIORITY + [f"{d}/kpsim"] + args, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, cwd=d, env=env)
        _, st, ru = os.wait4(p.pid, 0)
        wall = (time.monotonic() - t0) * 1000
        assert os.waitstatus_to_exitcode(st) == 0, d
        marks = [""] * 4
        if phases:
            lines = open(log).read().splitlines()
            stamp = lambda l: float(re.match(r"\[([0-9.]+)s\]", l).group(1)) * 1000
            marks = [round(next((stamp(l) for l in lines if k in l), float("nan")), 1) for k in MARKS]
            marks.append(round(stamp(lines[-1]), 1))
        os.unlink(log)
        rows.append([r, os.path.basename(d), round(load, 2), round(wall, 1),
                     round((ru.ru_utime + ru.ru_stime) * 1000), round(ru.ru_maxrss / 1024, 1), *marks])
with open(out, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["repetition", "variant", "load1", "wall_ms", "cpu_ms", "rss_mib", "main_ms", "yaml_ms", "cluster_ms",
                "last_class_ms"])
    w.writerows(rows)
print("args:", " ".join(args))
for d in dirs:
    v = os.path.basename(d)
    sel = [x for x in rows if x[1] == v]
    med = lambda i: statistics.median(x[i] for x in sel)
    line = (f"{v}: wall median {med(3):.0f} ms (min {min(x[3] for x in sel):.0f}), CPU {med(4):.0f} ms,"
            f" RSS {med(5):.0f} MiB")
    if phases:
        m = [med(i) for i in range(6, 10)]
        line += (f"; JVM to Main {m[0]:.0f}, picocli {m[1] - m[0]:.0f}, YAML {m[2] - m[1]:.0f},"
                 f" cluster and run {m[3] - m[2]:.0f}, last class to end of wall {med(3) - m[3]:.0f} ms")
    print(line)
print("load", min(x[2] for x in rows), "-", max(x[2] for x in rows))
