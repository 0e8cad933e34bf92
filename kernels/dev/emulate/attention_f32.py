# Host emulation of attention.cu's attention_f32 (needs numpy, no GPU): the same blocks, warps,
# lanes, key tiles, masks and online-softmax updates in float32, compared with a float64 softmax
# attention. Checks the kernel's index logic as written here; it cannot catch a difference between
# this transliteration and the CUDA source, nor anything about the hardware.
import numpy as np
f=np.float32
WARPS,QPW,KT,MAXD=4,4,32,128
def kernel(q,k,v,relH,relW,nq,nk,d,kh,kw,scale,B):
    out=np.zeros((B,nq,d),f)
    for b in range(B):
        for bx in range((nq+15)//16):
            qBlock=bx*16
            qs=np.zeros((16,d),f)
            for r in range(16):
                if qBlock+r<nq: qs[r]=q[b,qBlock+r]
            m=np.full((WARPS,QPW),-np.inf,f); l=np.zeros((WARPS,QPW),f); acc=np.zeros((WARPS,QPW,32,MAXD//32),f)
            for kt in range(0,nk,KT):
                ks=np.zeros((KT,d),f); vs=np.zeros((KT,d),f)
                for r in range(KT):
                    if kt+r<nk: ks[r]=k[b,kt+r]; vs[r]=v[b,kt+r]
                lanes=np.arange(32); j=kt+lanes
                for w in range(WARPS):
                    for r in range(QPW):
                        row=w*QPW+r; qi=qBlock+row
                        if qi>=nq: break
                        s=np.full(32,-np.inf,f)
                        for lane in range(32):
                            if j[lane]<nk:
                                dot=f(0)
                                for c in range(d): dot=f(dot+f(qs[row,c]*ks[lane,c]))
                                sv=f(f(scale)*dot)
                                if relH is not None:
                                    sv=f(sv+relH[b,qi,j[lane]//kw]); sv=f(sv+relW[b,qi,j[lane]%kw])
                                s[lane]=sv
                        mNew=max(m[w,r],s.max())
                        corr=f(0) if m[w,r]==-np.inf else f(np.exp(f(m[w,r]-mNew)))
                        p=np.where(s==-np.inf,f(0),np.exp((s-mNew).astype(f)).astype(f)).astype(f)
                        l[w,r]=f(l[w,r]*corr+p.sum(dtype=f)); m[w,r]=mNew
                        acc[w,r]*=corr
                        for jj in range(KT):
                            if kt+jj>=nk: break
                            for u in range(MAXD//32):
                                cols=lanes+32*u; ok=cols<d
                                acc[w,r,ok,u]=acc[w,r,ok,u]+p[jj]*vs[jj,cols[ok]]
            for w in range(WARPS):
                for r in range(QPW):
                    qi=qBlock+w*QPW+r
                    if qi>=nq: break
                    for u in range(MAXD//32):
                        cols=np.arange(32)+32*u; ok=cols<d
                        out[b,qi,cols[ok]]=acc[w,r,ok,u]/l[w,r]
    return out
def ref(q,k,v,relH,relW,kh,kw,scale):
    q=q.astype(np.float64);k=k.astype(np.float64);v=v.astype(np.float64)
    s=scale*np.einsum('bid,bjd->bij',q,k)
    if relH is not None:
        B,nq,_=q.shape
        s=s+np.repeat(relH,kw,axis=2)+np.tile(relW,(1,1,kh))
    s=s-s.max(-1,keepdims=True); p=np.exp(s); p/=p.sum(-1,keepdims=True)
    return p@v
rng=np.random.default_rng(1)
for (B,nq,nk,d,kh,kw,rel) in [(1,19,35,20,5,7,True),(2,5,9,8,3,3,True),(1,17,40,33,0,0,False)]:
    q=rng.uniform(-1,1,(B,nq,d)).astype(f);k=rng.uniform(-1,1,(B,nk,d)).astype(f);v=rng.uniform(-1,1,(B,nk,d)).astype(f)
    relH=rng.uniform(-.5,.5,(B,nq,kh)).astype(f) if rel else None; relW=rng.uniform(-.5,.5,(B,nq,kw)).astype(f) if rel else None
    got=kernel(q,k,v,relH,relW,nq,nk,d,max(kh,1),max(kw,1),f(1/np.sqrt(d)),B)
    want=ref(q,k,v,relH,relW,kh,kw,1/np.sqrt(d))
    print((B,nq,nk,d,kh,kw,rel),"max abs err",np.abs(got-want).max())
