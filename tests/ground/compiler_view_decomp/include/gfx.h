#ifndef GFX_H
#define GFX_H

#include "ultra64.h"

typedef struct Gfx {
    u32 hi;
    u32 lo;
} Gfx;

#define CC_SRC_ZERO 0
#define CC_SRC_TEXEL 1
#define CC_SRC_SHADE 2
#define CC_SRC_PRIM 3

/* The colour mixer takes source names without their CC_SRC_ prefix: `gfxMix(p, TEXEL, PRIM, SHADE, ZERO)`. */
#define gfxMixRaw(pkt, a, b, c, d) \
    ((pkt)->hi = (u32)(((a) << 12) | ((b) << 8) | ((c) << 4) | (d)), (pkt)->lo = 0)
#define gfxMix(pkt, a, b, c, d) gfxMixRaw(pkt, CC_SRC_##a, CC_SRC_##b, CC_SRC_##c, CC_SRC_##d)

#endif
