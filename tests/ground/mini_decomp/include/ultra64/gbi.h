#ifndef ULTRA64_GBI_H
#define ULTRA64_GBI_H

#include "ultra64/ultratypes.h"

/** One display-list command: two words. */
typedef struct Gfx {
    u32 w0;
    u32 w1;
} Gfx;

/** A fixed-point 4x4 matrix as the RSP reads it. */
typedef struct Mtx {
    s32 m[4][4];
} Mtx;

#define G_MTX_NOPUSH 0x00
#define G_MTX_PUSH 0x01
#define G_MTX_MODELVIEW 0x00
#define G_MTX_PROJECTION 0x04
#define G_MTX_MUL 0x00
#define G_MTX_LOAD 0x02

#define G_CMD_MTX 0xDA
#define G_CMD_DL 0xDE
#define G_CMD_ENDDL 0xDF

/** Appends a matrix load of `mtx` with `params` (G_MTX_*) to the list at `pkt`. */
#define gSPMatrix(pkt, mtx, params)                                  \
    do {                                                             \
        Gfx* _g = (Gfx*)(pkt);                                       \
        _g->w0 = ((u32)G_CMD_MTX << 24) | ((params) ^ G_MTX_PUSH);   \
        _g->w1 = (u32)(mtx);                                         \
    } while (0)

/** Appends a call of the display list `dl`. */
#define gSPDisplayList(pkt, dl)                   \
    do {                                          \
        Gfx* _g = (Gfx*)(pkt);                    \
        _g->w0 = (u32)G_CMD_DL << 24;             \
        _g->w1 = (u32)(dl);                       \
    } while (0)

#define gSPEndDisplayList(pkt)                    \
    do {                                          \
        Gfx* _g = (Gfx*)(pkt);                    \
        _g->w0 = (u32)G_CMD_ENDDL << 24;          \
        _g->w1 = 0;                               \
    } while (0)

#endif
