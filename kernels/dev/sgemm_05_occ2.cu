// Ladder rung 05b: the production sgemm_128_f32 built for two blocks per SM (registers capped at
// 128, with spills), to time against the one-block-per-SM build the backend uses.
#define SGEMM128_MIN_BLOCKS 2
#include "../src/main/cuda/gemm.cu"
