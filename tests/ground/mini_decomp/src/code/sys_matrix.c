#include "global.h"

static Mtx sMtxPool[32];
static s32 sMtxCount;

void Matrix_Push(void) {
}

void Matrix_Pop(void) {
}

void Matrix_Translate(f32 x, f32 y, f32 z, u8 mode) {
    (void)x;
    (void)y;
    (void)z;
    (void)mode;
}

void Matrix_Scale(f32 x, f32 y, f32 z, u8 mode) {
    (void)x;
    (void)y;
    (void)z;
    (void)mode;
}

void Matrix_RotateY(f32 y, u8 mode) {
    (void)y;
    (void)mode;
}

Mtx* Matrix_Finalize(GraphicsContext* gfxCtx, const char* file, int line) {
    (void)gfxCtx;
    (void)file;
    (void)line;
    return &sMtxPool[sMtxCount++ % ARRAY_COUNT(sMtxPool)];
}
