import sys, re, subprocess, collections, json
# usage: jfrsum.py file.jfr [cpu|alloc] [N] [filter-substring-for-inclusive...]
f=sys.argv[1]; kind=sys.argv[2]; N=int(sys.argv[3]); incl=sys.argv[4:]
ev='jdk.ExecutionSample' if kind=='cpu' else 'jdk.ObjectAllocationSample'
out=subprocess.run(['jfr','print','--json','--stack-depth','96','--events',ev,f],capture_output=True,text=True).stdout
d=json.loads(out)
evs=d['recording']['events']
selfc=collections.Counter(); inc=collections.Counter(); total=0; objc=collections.Counter(); site=collections.Counter()
for e in evs:
    v=e['values']
    th=v.get('sampledThread') or v.get('eventThread') or {}
    if th and th.get('javaName')!='main': continue
    w=1 if kind=='cpu' else v.get('weight',1)
    st=v.get('stackTrace')
    if not st: continue
    frames=[fr['method']['type']['name'].split('.')[-1]+'.'+fr['method']['name']+':'+str(fr.get('lineNumber')) for fr in st['frames']]
    meths=[fr['method']['type']['name'].split('.')[-1]+'.'+fr['method']['name'] for fr in st['frames']]
    total+=w
    selfc[frames[0]]+=w
    for m in set(meths): inc[m]+=w
    if kind=='alloc':
        objc[v['objectClass']['name']]+=w
        # first frame outside java.*
        k=[x for x,fr in zip(frames,st['frames']) if not fr['method']['type']['name'].startswith('java.')][:2]
        site[v['objectClass']['name'].split('.')[-1]+' @ '+' < '.join(k)]+=w
print('total',total)
print('--- self'); [print(f'{c*100/total:5.1f}% {m}') for m,c in selfc.most_common(N)]
print('--- inclusive'); [print(f'{c*100/total:5.1f}% {m}') for m,c in inc.most_common(N)]
if kind=='alloc':
    print('--- class'); [print(f'{c*100/total:5.1f}% {m}') for m,c in objc.most_common(N)]
    print('--- site'); [print(f'{c*100/total:5.1f}% {m}') for m,c in site.most_common(N)]
