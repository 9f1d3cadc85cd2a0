#ifndef ANIMATION_H
#define ANIMATION_H
#include "z_math.h"
typedef struct { Vec3s jointPos; u8 child; u8 sibling; Gfx* dList; } StandardLimb;
typedef struct { void** segment; u8 limbCount; } SkeletonHeader;
typedef struct { SkeletonHeader sh; u8 dListCount; } FlexSkeletonHeader;
typedef struct { s16 frameCount; } AnimationHeaderCommon;
typedef struct { AnimationHeaderCommon common; s16* frameData; } AnimationHeader;
typedef struct { u16 x, y, z; } JointIndex;
typedef struct { void* skeleton; } SkelAnime;
void SkelAnime_Init(SkelAnime* skelAnime, SkeletonHeader* skeletonHeader, AnimationHeader* animation);
void SkelAnime_InitFlex(SkelAnime* skelAnime, FlexSkeletonHeader* skeletonHeader, AnimationHeader* animation);
#endif
