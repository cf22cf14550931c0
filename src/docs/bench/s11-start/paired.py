import csv,sys,statistics
rows=list(csv.DictReader(open(sys.argv[1]))); a,b=sys.argv[2],sys.argv[3]
by={}
for r in rows: by.setdefault(r['repetition'],{})[r['variant']]=r
dw=[float(v[b]['wall_ms'])-float(v[a]['wall_ms']) for v in by.values() if a in v and b in v]
dc=[float(v[b]['cpu_ms'])-float(v[a]['cpu_ms']) for v in by.values() if a in v and b in v]
print(f"{b} - {a}: pairs {len(dw)}, wall median {statistics.median(dw):+.1f} ms (faster in {sum(x<0 for x in dw)}), CPU median {statistics.median(dc):+.1f} ms (less in {sum(x<0 for x in dc)})")
