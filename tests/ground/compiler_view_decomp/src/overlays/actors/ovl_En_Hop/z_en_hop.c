/*
 * File: z_en_hop.c
 * Description: a hopping stone; its step functions are made by a macro (written for modsmith's tests)
 */

#include "global.h"

#define FLAGS 0

#define DECLARE_STEP(name) \
    static void EnHop_##name##Step(Actor* thisx) { thisx->world.y += 2.0f; }

DECLARE_STEP(Rise)
DECLARE_STEP(Fall)

void EnHop_Update(Actor* thisx, PlayState* play) {
    if (thisx->params == 0) {
        EnHop_RiseStep(thisx);
    } else {
        EnHop_FallStep(thisx);
    }
#if 0
    EnHop_WobbleStep(thisx);
#endif
}

ActorProfile En_Hop_Profile = {
    ACTOR_EN_HOP, 6, FLAGS, OBJECT_GAMEPLAY_COMMON, sizeof(Actor), NULL, NULL, EnHop_Update, NULL,
};
