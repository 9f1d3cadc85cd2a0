#include "z64actor.h"

#define ACTOR_LIST_MAX 64

static Actor* sActorList[ACTOR_LIST_MAX];
static s32 sActorCount = 0;

/**
 * Returns the first free slot in the actor list, or -1 when it is full.
 */
static s32 ActorList_FindFreeSlot(void) {
    s32 i;

    for (i = 0; i < ACTOR_LIST_MAX; i++) {
        if (sActorList[i] == NULL) {
            return i;
        }
    }
    return -1;
}

/**
 * Places a new actor at (x, y, z) and links it into the list.
 * Returns NULL when there is no room left.
 */
Actor* Actor_Spawn(PlayState* play, s16 actorId, f32 x, f32 y, f32 z, s16 params) {
    static Actor sPool[ACTOR_LIST_MAX];
    s32 slot = ActorList_FindFreeSlot();
    Actor* actor;

    if (slot < 0) {
        return NULL;
    }
    actor = &sPool[slot];
    actor->id = actorId;
    actor->pos.x = x;
    actor->pos.y = y;
    actor->pos.z = z;
    actor->rot.z = params;
    sActorList[slot] = actor;
    sActorCount++;
    return actor;
}

void Actor_Kill(Actor* actor) {
    s32 i;

    for (i = 0; i < ACTOR_LIST_MAX; i++) {
        if (sActorList[i] == actor) {
            sActorList[i] = NULL;
            sActorCount--;
            break;
        }
    }
}

// Finds the closest actor of the given id and category within `range` units of `origin`.
// Returns NULL when none is close enough.
Actor* Actor_FindNearby(PlayState* play, Actor* origin, s16 actorId, u8 category, f32 range) {
    Actor* best = NULL;
    f32 bestDist = range;
    s32 i;

    for (i = 0; i < ACTOR_LIST_MAX; i++) {
        Actor* other = sActorList[i];
        f32 dist;

        if ((other == NULL) || (other == origin) || (other->id != actorId) || (other->category != category)) {
            continue;
        }
        dist = Actor_WorldDistXZ(origin, other);
        if (dist < bestDist) {
            bestDist = dist;
            best = other;
        }
    }
    return best;
}

void Actor_MoveForward(Actor* actor) {
    f32 angle = BINANG_TO_RAD(actor->rot.y);

    actor->pos.x += actor->speed * angle;
    actor->pos.z += actor->speed * (1.0f - angle);
}

static const char* sCategoryNames[] = {
    "switch", "bg", "player", "explosive", "npc", "enemy", "prop",
};

/** Human-readable name of an actor category, for debug output. */
const char* Actor_GetCategoryName(u8 category) {
    if (category >= ARRAY_COUNT(sCategoryNames)) {
        return "unknown";
    }
    return sCategoryNames[category];
}

#ifdef SAMPLE_DEBUG
void Actor_DebugPrint(Actor* actor) {
    (void)Actor_GetCategoryName(actor->category);
}
#endif
