#ifndef Z_EN_TEST_H
#define Z_EN_TEST_H

#include "global.h"

struct EnTest;

typedef void (*EnTestActionFunc)(struct EnTest* this, PlayState* play);

typedef struct EnTest {
    Actor actor;
    EnTestActionFunc actionFunc;
    s16 timer;
    f32 spinSpeed;
} EnTest;

#endif
