import subprocess, time, os, statistics, sys, csv
ROOT="/work/wt/s6-start2"
S=f"{ROOT}/benchmarks/scenarios/bench-tiny-exchange.yaml"
def cmd(d): return ["chrt","-f","10","java",f"-XX:SharedArchiveFile=/tmp/s6s2h/{d}/kpsim.jsa","-Xlog:cds*=off","-XX:+UseSerialGC","-XX:MaxNewSize=32m",
  "-XX:+UnlockDiagnosticVMOptions",f"-XX:CompilerDirectivesFile={ROOT}/simulator/jvm/short-run.json","-XX:-DisplayVMOutput","-Dkpsim.jit=short-run",
  "-jar",f"/tmp/s6s2h/{d}/kpsim.jar","run",S,"--quiet"]
variants=["before","after5"]; n=int(sys.argv[1]); out=sys.argv[2]
rows=[]
for r in range(n):
    order=variants if r%2==0 else variants[::-1]
    for v in order:
        load=os.getloadavg()[0]
        t0=time.monotonic(); p=subprocess.Popen(cmd(v),stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL)
        _,st,ru=os.wait4(p.pid,0); t1=time.monotonic()
        assert os.waitstatus_to_exitcode(st)==0
        rows.append([r,v,round(load,2),round(t1-t0,4),round(ru.ru_utime+ru.ru_stime,3),round(ru.ru_maxrss/1024,1)])
with open(out,"w",newline="") as f:
    w=csv.writer(f); w.writerow(["repetition","variant","load1","wall_s","cpu_s","rss_mib"]); w.writerows(rows)
for v in variants:
    ws=[x[3] for x in rows if x[1]==v]; cs=[x[4] for x in rows if x[1]==v]
    print(v,"wall median %.3f (min %.3f max %.3f) cpu median %.3f"%(statistics.median(ws),min(ws),max(ws),statistics.median(cs)))
print("load", min(x[2] for x in rows), max(x[2] for x in rows))
