#ifndef SYS_MATRIX_H
#define SYS_MATRIX_H

#include "gfx.h"
#include "z64math.h"

typedef enum MatrixMode {
    MTXMODE_NEW,
    MTXMODE_APPLY
} MatrixMode;

void Matrix_Push(void);
void Matrix_Pop(void);
void Matrix_Translate(f32 x, f32 y, f32 z, u8 mode);
void Matrix_Scale(f32 x, f32 y, f32 z, u8 mode);
void Matrix_RotateY(f32 y, u8 mode);
/** Converts the current matrix to a fixed-point Mtx in the frame's memory. */
Mtx* Matrix_Finalize(GraphicsContext* gfxCtx, const char* file, int line);

/** Finalizes the current matrix and appends its load to the display list at `pkt`. */
#define MATRIX_FINALIZE_AND_LOAD(pkt, gfxCtx, file, line) \
    gSPMatrix(pkt, Matrix_Finalize(gfxCtx, file, line), G_MTX_NOPUSH | G_MTX_LOAD | G_MTX_MODELVIEW)

#endif
