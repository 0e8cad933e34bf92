# Host emulation of gemm.cu's index logic (needs numpy, no GPU): sgemm_f32's tiles, tile_coords
# and 4x4 micro-tiles, and sgemm_tf32_f32's mma.sync m16n8k8 fragment layout as this project reads
# the PTX ISA, in float64 over odd shapes and all four operand layouts. Any NaN left in C means an
# element no thread wrote; the error should be ~1e-15. Says nothing about the hardware.
import numpy as np
BM=BN=64;BK=16
def tile_coords(e,kFast,outer):
    return (e//BK, e%BK) if kFast else (e%outer, e//outer)
def load_tiles(A,aR,aC,Bm,bR,bC,M,N,K,m0,n0,k0,threads,per,a_km):
    As=np.zeros((BK,BM)) if a_km else np.zeros((BM,BK)); Bs=np.zeros((BK,BN))
    for t in range(per):
        for tid in range(threads):
            e=tid+t*threads
            am,ak=tile_coords(e,aC==1,BM); bn,bk=tile_coords(e,bR==1 and bC!=1,BN)
            gm,gk=m0+am,k0+ak
            val=A[gm*aR+gk*aC] if gm<M and gk<K else 0
            if a_km: As[ak,am]=val
            else: As[am,ak]=val
            gn,gk2=n0+bn,k0+bk
            Bs[bk,bn]=Bm[gk2*bR+gn*bC] if gn<N and gk2<K else 0
    return As,Bs
def simt(A,aR,aC,Bm,bR,bC,M,N,K):
    C=np.full((M,N),np.nan)
    for by in range((M+63)//64):
        for bx in range((N+63)//64):
            m0,n0=by*64,bx*64; acc=np.zeros((256,4,4))
            for k0 in range(0,K,BK):
                As,Bs=load_tiles(A,aR,aC,Bm,bR,bC,M,N,K,m0,n0,k0,256,4,True)
                for tid in range(256):
                    tx,ty=tid&15,tid>>4
                    ra=As[:,[ty+16*i for i in range(4)]]; rb=Bs[:,[tx+16*j for j in range(4)]]
                    acc[tid]+=ra.T@rb
            for tid in range(256):
                tx,ty=tid&15,tid>>4
                for i in range(4):
                    for j in range(4):
                        r,c=m0+ty+16*i,n0+tx+16*j
                        if r<M and c<N: C[r,c]=acc[tid,i,j]
    return C
def tf32(A,aR,aC,Bm,bR,bC,M,N,K):
    C=np.full((M,N),np.nan)
    for by in range((M+63)//64):
        for bx in range((N+63)//64):
            m0,n0=by*64,bx*64; acc=np.zeros((4,32,2,4,4))
            for k0 in range(0,K,BK):
                As,Bs=load_tiles(A,aR,aC,Bm,bR,bC,M,N,K,m0,n0,k0,128,8,False)
                for kk in (0,8):
                    for warp in range(4):
                        wm,wn=(warp>>1)*32,(warp&1)*32
                        # reconstruct each mma from the lanes' fragments
                        for i in range(2):
                            for j in range(4):
                                a=np.zeros((16,8)); b=np.zeros((8,8))
                                for lane in range(32):
                                    g,t4=lane>>2,lane&3; r=wm+16*i+g; col=wn+8*j+g
                                    a[g,t4]=As[r,kk+t4]; a[g+8,t4]=As[r+8,kk+t4]; a[g,t4+4]=As[r,kk+t4+4]; a[g+8,t4+4]=As[r+8,kk+t4+4]
                                    b[t4,g]=Bs[kk+t4,col]; b[t4+4,g]=Bs[kk+t4+4,col]
                                d=a@b
                                for lane in range(32):
                                    g,t4=lane>>2,lane&3
                                    acc[warp,lane,i,j]+=[d[g,2*t4],d[g,2*t4+1],d[g+8,2*t4],d[g+8,2*t4+1]]
            for warp in range(4):
                wm,wn=(warp>>1)*32,(warp&1)*32
                for lane in range(32):
                    g,t4=lane>>2,lane&3
                    for i in range(2):
                        for j in range(4):
                            for h in range(4):
                                r=m0+wm+16*i+g+(8 if h>=2 else 0); c=n0+wn+8*j+2*t4+(h&1)
                                if r<M and c<N: C[r,c]=acc[warp,lane,i,j,h]
    return C
rng=np.random.default_rng(0)
for (M,N,K) in [(7,33,17),(65,47,30),(70,130,40)]:
    a=rng.uniform(-1,1,(M,K)); b=rng.uniform(-1,1,(K,N)); want=a@b
    for aT in (False,True):
        for bT in (False,True):
            A=(a.T.copy() if aT else a).ravel(); aR,aC=(1,M) if aT else (K,1)
            Bm=(b.T.copy() if bT else b).ravel(); bR,bC=(1,K) if bT else (N,1)
            for name,fn in (("simt",simt),("tf32",tf32)):
                got=fn(A,aR,aC,Bm,bR,bC,M,N,K)
                print(name,(M,N,K),aT,bT,"max err",np.nanmax(np.abs(got-want)),"nan",np.isnan(got).sum())
