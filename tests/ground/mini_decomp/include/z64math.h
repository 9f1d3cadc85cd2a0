#ifndef Z64MATH_H
#define Z64MATH_H

#include "ultra64.h"

typedef struct Vec3f {
    f32 x, y, z;
} Vec3f;

typedef struct Vec3s {
    s16 x, y, z;
} Vec3s;

typedef struct Color_RGBA8 {
    u8 r, g, b, a;
} Color_RGBA8;

/** Steps `*pValue` towards `target` by at most `step`; returns 1 once it is there. */
s32 Math_StepToF(f32* pValue, f32 target, f32 step);
f32 Math_SinS(s16 angle);
f32 Math_CosS(s16 angle);
f32 Rand_ZeroOne(void);

#endif
