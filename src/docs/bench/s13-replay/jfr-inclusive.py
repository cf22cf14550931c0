# Inclusive and self samples per method for one thread of a JFR recording:
# python3 jfr-inclusive.py RECORDING [THREAD-NAME-PREFIX (main)] [TOP (120)]
import json, sys, collections, subprocess
f = sys.argv[1]; thr = sys.argv[2] if len(sys.argv)>2 else "main"; n=int(sys.argv[3]) if len(sys.argv)>3 else 120
data = json.loads(subprocess.run(["jfr","print","--json","--events","jdk.ExecutionSample","--stack-depth","64",f],capture_output=True,text=True).stdout)
incl = collections.Counter(); selfc=collections.Counter(); tot=0
for e in data["recording"]["events"]:
    v=e["values"]; t = v["sampledThread"]["javaName"] if v.get("sampledThread") else "?"
    if not t.startswith(thr): continue
    tot+=1
    fr = v["stackTrace"]["frames"] if v.get("stackTrace") else []
    m = lambda x: x["method"]["type"]["name"].split("/")[-1]+"."+x["method"]["name"]
    if fr: selfc[m(fr[0])]+=1
    seen=set()
    for x in fr:
        k=m(x)
        if k not in seen: seen.add(k); incl[k]+=1
print(thr, "samples", tot)
for k,c in incl.most_common(n): print("%4d %4d %s"%(c, selfc[k], k))
