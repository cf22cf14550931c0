import sys, subprocess, json, collections
# usage: jfrdiff.py method|line QUIET1.jfr,QUIET2.jfr JSON1.jfr,JSON2.jfr -- main-thread samples of the json runs minus those of the quiet runs, self and inclusive, by method or by line
def load(files, level):
    selfc=collections.Counter(); inc=collections.Counter(); tot=0
    for f in files:
        d=json.loads(subprocess.run(['jfr','print','--json','--stack-depth','96','--events','jdk.ExecutionSample',f],capture_output=True,text=True).stdout)
        for e in d['recording']['events']:
            v=e['values']; th=v.get('sampledThread') or {}
            if th.get('javaName')!='main': continue
            st=v.get('stackTrace')
            if not st: continue
            fr=st['frames']
            m=lambda x: x['method']['type']['name'].split('/')[-1]+'.'+x['method']['name']
            tot+=1
            selfc[m(fr[0]) + (':'+str(fr[0].get('lineNumber')) if level=='line' else '')]+=1
            for x in set(m(y) for y in fr): inc[x]+=1
    return tot,selfc,inc
level=sys.argv[1]
q=load(sys.argv[2].split(','),level); j=load(sys.argv[3].split(','),level)
print('quiet samples',q[0],'json samples',j[0])
for name,idx in (('self',1),('inclusive',2)):
    print('---',name,'json-quiet, json, quiet')
    keys=set(q[idx])|set(j[idx])
    for k in sorted(keys,key=lambda k:-(j[idx][k]-q[idx][k]))[:45]:
        print(f'{j[idx][k]-q[idx][k]:5d} {j[idx][k]:5d} {q[idx][k]:5d} {k}')
