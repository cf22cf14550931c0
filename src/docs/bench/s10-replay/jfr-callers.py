# Samples whose top frame is METHOD, by their innermost frames with line numbers:
# python3 jfr-callers.py RECORDING METHOD [FRAMES (4)] [TOP (8)]
import json, sys, collections, subprocess
f, target = sys.argv[1], sys.argv[2]
frames = int(sys.argv[3]) if len(sys.argv) > 3 else 4
top = int(sys.argv[4]) if len(sys.argv) > 4 else 8
data = json.loads(subprocess.run(["jfr","print","--json","--events","jdk.ExecutionSample","--stack-depth","8",f],capture_output=True,text=True).stdout)
c = collections.Counter()
for e in data["recording"]["events"]:
    fr = e["values"]["stackTrace"]["frames"] if e["values"].get("stackTrace") else []
    if fr and fr[0]["method"]["name"] == target:
        c[" < ".join(x["method"]["type"]["name"].split("/")[-1]+"."+x["method"]["name"]+":"+str(x["lineNumber"]) for x in fr[:frames])] += 1
for k, n in c.most_common(top): print(n, k)
