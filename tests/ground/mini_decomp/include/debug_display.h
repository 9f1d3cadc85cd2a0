#ifndef DEBUG_DISPLAY_H
#define DEBUG_DISPLAY_H

#include "z64play.h"

/** Queues a debug shape at a position for the next frame. */
void DebugDisplay_AddObject(f32 posX, f32 posY, f32 posZ, s16 rotX, s16 rotY, s16 rotZ, f32 scaleX, f32 scaleY,
                            f32 scaleZ, Color_RGBA8* color, s16 type, GraphicsContext* gfxCtx);

#endif
