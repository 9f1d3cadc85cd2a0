#include "z64math.h"

static MtxF sMatrixStack[8];
static MtxF* sCurrentMatrix = &sMatrixStack[0];

MtxF* Matrix_GetCurrent(void) {
    return sCurrentMatrix;
}

/**
 * Copies the current matrix one level up the stack and makes the copy current.
 */
MtxF* Matrix_Push(void) {
    MtxF* prev = sCurrentMatrix;

    sCurrentMatrix++;
    *sCurrentMatrix = *prev;
    return sCurrentMatrix;
}

void Matrix_Pop(void) {
    sCurrentMatrix--;
}

void Matrix_Translate(f32 x, f32 y, f32 z, u8 mode) {
    MtxF* cmf = sCurrentMatrix;

    if (mode) {
        cmf->mf[3][0] += x;
        cmf->mf[3][1] += y;
        cmf->mf[3][2] += z;
    } else {
        cmf->mf[3][0] = x;
        cmf->mf[3][1] = y;
        cmf->mf[3][2] = z;
    }
}

Vec3f* Math_Vec3f_Copy(Vec3f* dst, Vec3f* src) {
    dst->x = src->x;
    dst->y = src->y;
    dst->z = src->z;
    return dst;
}

/*
 * Old-style definition kept from an early draft of the engine:
 * the parameter types are declared between the parameter list and the body.
 */
f32 Math_Vec3f_DistXYZ(a, b)
    Vec3f* a;
    Vec3f* b;
{
    f32 dx = a->x - b->x;
    f32 dy = a->y - b->y;
    f32 dz = a->z - b->z;

    return SQ(dx) + SQ(dy) + SQ(dz);
}

s16 Math_Atan2S(f32 y, f32 x) {
    if (x == 0.0f) {
        return (y >= 0.0f) ? 0x4000 : -0x4000;
    }
    return (s16)((y / x) * (0x8000 / SAMPLE_PI));
}

/**
 * Moves *pValue towards `target` by at most `step`.
 * Returns TRUE once the target is reached.
 */
s32 Math_StepToF(f32* pValue, f32 target, f32 step) {
    if (*pValue < target) {
        *pValue = CLAMP(*pValue + step, *pValue, target);
    } else {
        *pValue = CLAMP(*pValue - step, target, *pValue);
    }
    return *pValue == target;
}

static f32 Math_EaseInQuad(f32 t) {
    return SQ(t);
}

EasingFunc Math_GetEasing(s32 which) {
    return (which == 0) ? Math_EaseInQuad : NULL;
}
