# Self samples of one method by line, with callers: python3 jfr-lines.py REC.jfr METHOD
import json, sys, collections, subprocess
f, target = sys.argv[1], sys.argv[2]
data = json.loads(subprocess.run(["jfr","print","--json","--events","jdk.ExecutionSample","--stack-depth","8",f],capture_output=True,text=True).stdout)
c = collections.Counter()
for e in data["recording"]["events"]:
    fr = e["values"]["stackTrace"]["frames"] if e["values"].get("stackTrace") else []
    if fr and fr[0]["method"]["name"] == target:
        c[" < ".join(x["method"]["type"]["name"].split("/")[-1]+"."+x["method"]["name"]+":"+str(x["lineNumber"]) for x in fr[:3])] += 1
for k, n in c.most_common(12): print(n, k)
