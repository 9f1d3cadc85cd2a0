#ifndef GFX_H
#define GFX_H

#include "ultra64.h"

typedef struct DisplayBuffer {
    Gfx* p;
    Gfx* start;
} DisplayBuffer;

/** The display lists a frame is drawn into. */
typedef struct GraphicsContext {
    DisplayBuffer polyOpa;
    DisplayBuffer polyXlu;
    DisplayBuffer overlay;
    u32 frameCount;
} GraphicsContext;

void Graph_OpenDisps(Gfx** dispRefs, GraphicsContext* gfxCtx, const char* file, int line);
void Graph_CloseDisps(Gfx** dispRefs, GraphicsContext* gfxCtx, const char* file, int line);

/** Opens a block that appends to `gfxCtx`'s display lists; close it with CLOSE_DISPS. */
#define OPEN_DISPS(gfxCtx, file, line)            \
    {                                             \
        GraphicsContext* __gfxCtx = gfxCtx;       \
        Gfx* __dispRefs[3];                       \
        Graph_OpenDisps(__dispRefs, gfxCtx, file, line)

#define CLOSE_DISPS(gfxCtx, file, line)                      \
        Graph_CloseDisps(__dispRefs, gfxCtx, file, line);    \
    }                                                        \
    (void)0

#define POLY_OPA_DISP __gfxCtx->polyOpa.p
#define POLY_XLU_DISP __gfxCtx->polyXlu.p
#define OVERLAY_DISP __gfxCtx->overlay.p

#endif
