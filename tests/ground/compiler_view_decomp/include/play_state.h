#ifndef PLAY_STATE_H
#define PLAY_STATE_H

#include "gfx.h"

typedef struct PlayState {
    u32 frames;
    Gfx* polyOpa;
} PlayState;

#endif
