#ifndef GLOBAL_H
#define GLOBAL_H

#include "ultra64.h"
#include "actor.h"
#include "actor_id.h"
#include "debug.h"
#include "play_state.h"
#include "save.h"
#include "sfx.h"

#endif
