# Summarises a JFR recording's execution samples: samples per thread, the 30 hottest frames by
# self time and the 60 by inclusive time, per thread (frames as class.method). Used for
# src/docs/benchmarks.md section 3, "Session 6". Usage: python3 jfr-hot.py RECORDING.jfr
import json, sys, collections, subprocess
f = sys.argv[1]
data = json.loads(subprocess.run(["jfr","print","--json","--events","jdk.ExecutionSample","--stack-depth","40",f],capture_output=True,text=True).stdout)
ev = data["recording"]["events"]
threads = collections.Counter(); top = collections.Counter(); incl = collections.Counter()
for e in ev:
    v = e["values"]; t = v["sampledThread"]["javaName"] if v.get("sampledThread") else "?"
    threads[t]+=1
    fr = v["stackTrace"]["frames"] if v.get("stackTrace") else []
    if not fr: continue
    m = lambda x: x["method"]["type"]["name"].split(".")[-1]+"."+x["method"]["name"]
    top[(t[:18], m(fr[0]))]+=1
    seen=set()
    for x in fr:
        k=(t[:18], m(x))
        if k not in seen: seen.add(k); incl[k]+=1
print("samples by thread:", threads.most_common())
print("--- self top 30")
for k,c in top.most_common(30): print(c, k)
print("--- inclusive top 60")
for k,c in incl.most_common(60): print(c, k)
