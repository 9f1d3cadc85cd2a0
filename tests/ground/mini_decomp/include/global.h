#ifndef GLOBAL_H
#define GLOBAL_H

#include "ultra64.h"
#include "libc/stddef.h"
#include "macros.h"
#include "z64math.h"
#include "gfx.h"
#include "sys_matrix.h"
#include "z64actor.h"
#include "z64play.h"
#include "debug_display.h"

#define ACTOR_EN_TEST 0x0123
#define OBJECT_GAMEPLAY_KEEP 0x0001

#endif
