#ifndef Z_EN_SAMPLE_H
#define Z_EN_SAMPLE_H

#include "z64actor.h"

struct EnSample;

typedef void (*EnSampleActionFunc)(struct EnSample* this, PlayState* play);

typedef enum EnSampleState {
    /* 0 */ EN_SAMPLE_STATE_IDLE,
    /* 1 */ EN_SAMPLE_STATE_WANDER,
    /* 2 */ EN_SAMPLE_STATE_TALK = 5 // skips the retired states 2 to 4
} EnSampleState;

/**
 * A villager who wanders around and talks when approached.
 */
typedef struct EnSample {
    /* 0x00 */ Actor actor;
    /* 0x28 */ EnSampleActionFunc actionFunc;
    /* 0x2C */ s16 timer;
    /* 0x2E */ s16 state;
    /* 0x30 */ u16 textId;
} EnSample; // size = 0x34

#define EN_SAMPLE_GET_TYPE(thisx) ((thisx)->params & 0xFF)

#endif
