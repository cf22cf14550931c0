"""Interleaved start-up runs (session 8). Each variant is NAME=DIR[:FLAGS], DIR holding kpsim.jar and its static
class-data archive kpsim.jsa (made as ./kpsim's train() makes it, bench/startup-s7/prep-archive.sh), FLAGS extra
JVM options separated by commas; every variant runs with the launcher's options at real-time priority (chrt -f 10),
the first of each repetition rotating, the 1-minute load recorded next to every run. Usage:
  pairs.py N OUT.csv ROOT VARIANT... -- KPSIM ARGS   (scenario paths relative to ROOT)"""
import csv, os, statistics, subprocess, sys, time

n, out, root = int(sys.argv[1]), sys.argv[2], sys.argv[3]
sep = sys.argv.index("--")
variants, args = [v.split("=", 1) for v in sys.argv[4:sep]], sys.argv[sep + 1:]


def cmd(spec):
    d, _, flags = spec.partition(":")
    jit = []
    if args and args[0] == "run":
        jit = ["-XX:+UnlockDiagnosticVMOptions", f"-XX:CompilerDirectivesFile={root}/simulator/jvm/short-run.json",
               "-XX:-DisplayVMOutput", "-Dkpsim.jit=short-run"]
    extra = [f for f in flags.split(",") if f]
    gc = [] if any(f.startswith("-XX:+Use") and f.endswith("GC") for f in extra) else [
        "-XX:+UseSerialGC", "-XX:MaxNewSize=32m"]
    return (["chrt", "-f", "10", "java", f"-XX:SharedArchiveFile={d}/kpsim.jsa", "-Xlog:cds*=off"] + gc + jit
            + ["-XX:+UnlockDiagnosticVMOptions"] + extra + ["-jar", f"{d}/kpsim.jar"] + args)


rows = []
for r in range(n):
    order = variants[r % len(variants):] + variants[:r % len(variants)]
    for name, spec in order:
        load = os.getloadavg()[0]
        t0 = time.monotonic()
        p = subprocess.Popen(cmd(spec), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=root,
                             env=dict(os.environ, KPSIM_HOME=root))
        _, st, ru = os.wait4(p.pid, 0)
        t1 = time.monotonic()
        assert os.waitstatus_to_exitcode(st) == 0, (name, cmd(spec))
        rows.append([r, name, round(load, 2), round(t1 - t0, 4), round(ru.ru_utime + ru.ru_stime, 3),
                     round(ru.ru_maxrss / 1024, 1)])
with open(out, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["repetition", "variant", "load1", "wall_s", "cpu_s", "rss_mib"])
    w.writerows(rows)
print("args:", " ".join(args))
for name, spec in variants:
    ws = [x[3] for x in rows if x[1] == name]
    cs = [x[4] for x in rows if x[1] == name]
    rs = [x[5] for x in rows if x[1] == name]
    print(f"{name}: wall median {statistics.median(ws):.3f} s (min {min(ws):.3f}, max {max(ws):.3f}),"
          f" CPU median {statistics.median(cs):.3f} s, RSS median {statistics.median(rs):.0f} MiB")
print("load", min(x[2] for x in rows), "-", max(x[2] for x in rows))
