#ifndef BGCHECK_H
#define BGCHECK_H
#include "z_math.h"
typedef struct { u16 type; u16 flags; s16 normal[3]; s16 dist; } CollisionPoly;
typedef struct { u32 data[2]; } SurfaceType;
typedef struct { Vec3s minBounds, maxBounds; u16 numVertices; Vec3s* vtxList; } CollisionHeader;
#endif
