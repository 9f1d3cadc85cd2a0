#ifndef Z_MATH_H
#define Z_MATH_H
#include "ultra64.h"
typedef struct { s16 x, y, z; } Vec3s;
#endif
