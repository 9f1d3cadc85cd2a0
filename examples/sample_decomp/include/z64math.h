#ifndef Z64MATH_H
#define Z64MATH_H

#include "sample_types.h"

#define SAMPLE_PI 3.14159265f
#define SHT_MAX 32767.0f
#define SHT_MINV (1.0f / SHT_MAX)

// Squares a value; the argument is evaluated twice.
#define SQ(x) ((x) * (x))
#define CLAMP(x, min, max) ((x) < (min) ? (min) : (x) > (max) ? (max) : (x))
#define BINANG_TO_RAD(binang) ((f32)(binang) * (SAMPLE_PI / 0x8000))

/**
 * Linear interpolation between two vectors, written into `dst`.
 * Spans several lines to exercise backslash continuations.
 */
#define VEC3F_LERP(dst, a, b, t)                 \
    do {                                         \
        (dst)->x = (a)->x + ((b)->x - (a)->x) * (t); \
        (dst)->y = (a)->y + ((b)->y - (a)->y) * (t); \
        (dst)->z = (a)->z + ((b)->z - (a)->z) * (t); \
    } while (0)

/** A 4x4 float matrix, row major. */
typedef struct MtxF {
    f32 mf[4][4];
} MtxF;

/** Reinterprets the bits of a float without a cast. */
typedef union FloatBits {
    f32 f;
    u32 w;
} FloatBits;

typedef f32 (*EasingFunc)(f32 t);

MtxF* Matrix_GetCurrent(void);
MtxF* Matrix_Push(void);
void Matrix_Pop(void);
void Matrix_Translate(f32 x, f32 y, f32 z, u8 mode);
f32 Math_Vec3f_DistXYZ(Vec3f* a, Vec3f* b);
Vec3f* Math_Vec3f_Copy(Vec3f* dst, Vec3f* src);
s16 Math_Atan2S(f32 y, f32 x);
s32 Math_StepToF(f32* pValue, f32 target, f32 step);

#if SAMPLE_DEBUG
#define MATH_ASSERT(cond) ((cond) ? (void)0 : Math_AssertFail(#cond, __FILE__, __LINE__))
void Math_AssertFail(const char* expr, const char* file, s32 line);
#else
#define MATH_ASSERT(cond) ((void)0)
#endif

#endif
