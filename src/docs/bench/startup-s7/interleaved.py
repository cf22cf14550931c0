"""Interleaved start-up pairs (session 7): each variant is a directory with kpsim.jar and its own static
class-data archive kpsim.jsa (made as ./kpsim's train() makes it), run with the launcher's options at
real-time priority. The first variant of each repetition rotates. Usage:
  interleaved.py N OUT.csv ROOT DIR1 DIR2 ... -- KPSIM ARGS (SCENARIO paths relative to ROOT)"""
import csv, os, statistics, subprocess, sys, time

n, out, root = int(sys.argv[1]), sys.argv[2], sys.argv[3]
sep = sys.argv.index("--")
dirs, args = sys.argv[4:sep], sys.argv[sep + 1:]


def cmd(d):
    jit = []
    if args and args[0] == "run":
        jit = ["-XX:+UnlockDiagnosticVMOptions", f"-XX:CompilerDirectivesFile={root}/simulator/jvm/short-run.json",
               "-XX:-DisplayVMOutput", "-Dkpsim.jit=short-run"]
    return (["chrt", "-f", "10", "java", f"-XX:SharedArchiveFile={d}/kpsim.jsa", "-Xlog:cds*=off",
             "-XX:+UseSerialGC", "-XX:MaxNewSize=32m"] + jit + ["-jar", f"{d}/kpsim.jar"] + args)


rows = []
for r in range(n):
    order = dirs[r % len(dirs):] + dirs[:r % len(dirs)]
    for d in order:
        load = os.getloadavg()[0]
        t0 = time.monotonic()
        p = subprocess.Popen(cmd(d), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=root,
                             env=dict(os.environ, KPSIM_HOME=root))
        _, st, ru = os.wait4(p.pid, 0)
        t1 = time.monotonic()
        assert os.waitstatus_to_exitcode(st) == 0, d
        rows.append([r, os.path.basename(d), round(load, 2), round(t1 - t0, 4), round(ru.ru_utime + ru.ru_stime, 3),
                     round(ru.ru_maxrss / 1024, 1)])
with open(out, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["repetition", "variant", "load1", "wall_s", "cpu_s", "rss_mib"])
    w.writerows(rows)
print("args:", " ".join(args))
for d in dirs:
    v = os.path.basename(d)
    ws = [x[3] for x in rows if x[1] == v]
    cs = [x[4] for x in rows if x[1] == v]
    print(f"{v}: wall median {statistics.median(ws):.3f} s (min {min(ws):.3f}, max {max(ws):.3f}),"
          f" CPU median {statistics.median(cs):.3f} s")
print("load", min(x[2] for x in rows), "-", max(x[2] for x in rows))
