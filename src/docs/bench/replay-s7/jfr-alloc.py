# Summarises a JFR recording's allocation samples (jdk.ObjectAllocationSample weight by class and
# by allocating frame) and its collections (count, total pause). Usage: python3 jfr-alloc.py REC.jfr
import json, sys, collections, subprocess
f = sys.argv[1]
def events(name, depth="8"):
    out = subprocess.run(["jfr", "print", "--json", "--events", name, "--stack-depth", depth, f],
                         capture_output=True, text=True).stdout
    return json.loads(out)["recording"]["events"]
by_class = collections.Counter(); by_site = collections.Counter(); total = 0
for e in events("jdk.ObjectAllocationSample"):
    v = e["values"]; w = v["weight"]; total += w
    t = v["objectClass"]["name"] if v.get("objectClass") else "?"
    by_class[t] += w
    fr = v["stackTrace"]["frames"] if v.get("stackTrace") else []
    site = "?"
    for x in fr:
        n = x["method"]["type"]["name"]
        if n.startswith("io/kpsim"):
            site = n.split("/")[-1] + "." + x["method"]["name"]; break
    by_site[(t.split("/")[-1], site)] += w
print("allocated (sampled weight) MB: %.0f" % (total / 1e6))
print("--- by class")
for k, c in by_class.most_common(15): print("%8.1f MB %5.1f%% %s" % (c / 1e6, 100.0 * c / total, k))
print("--- by class and first kpsim frame")
for k, c in by_site.most_common(25): print("%8.1f MB %5.1f%% %s" % (c / 1e6, 100.0 * c / total, k))
gcs = events("jdk.GarbageCollection", "1")
def dur(s): return float(s.rstrip(" ms s")) if False else s
pause = 0.0
for g in gcs:
    d = g["values"]["sumOfPauses"]
    pause += float(d.replace("PT", "").replace("S", "")) if isinstance(d, str) else d
print("collections:", len(gcs), "sum of pauses (s): %.3f" % pause)
