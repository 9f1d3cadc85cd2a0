#ifndef Z_EN_BIRD_H
#define Z_EN_BIRD_H

#include "actor.h"

struct EnBird;

typedef void (*EnBirdActionFunc)(struct EnBird* this, struct PlayState* play);

typedef struct EnBird {
    /* 0x00 */ PERCH_BASE;
    /* 0x20 */ f32 wingParam1;
    /* 0x24 */ s16 timers[6];
    /* 0x30 */ EnBirdActionFunc actionFunc;
} EnBird;

/* The wing angle lives in the first generic wing parameter. */
#define vWingAngle wingParam1

#endif
