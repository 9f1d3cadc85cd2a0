#ifndef Z64ACTOR_H
#define Z64ACTOR_H

#include "sample_types.h"
#include "z64math.h"

struct Actor;
struct PlayState;

typedef struct PlayState PlayState;

typedef void (*ActorFunc)(struct Actor* thisx, struct PlayState* play);

/**
 * Broad groups actors are sorted into; each group is updated as one list.
 */
typedef enum ActorCategory {
    /* 0x00 */ ACTORCAT_SWITCH,
    /* 0x01 */ ACTORCAT_BG,
    /* 0x02 */ ACTORCAT_PLAYER,
    /* 0x03 */ ACTORCAT_EXPLOSIVE,
    /* 0x04 */ ACTORCAT_NPC = 4, // talkative folk
    /* 0x05 */ ACTORCAT_ENEMY,
    /* 0x06 */ ACTORCAT_PROP,
    /* 0x07 */ ACTORCAT_MAX
} ActorCategory;

enum ActorFlagBits {
    ACTOR_FLAG_TARGETABLE = (1 << 0),
    ACTOR_FLAG_HOSTILE = (1 << 2),
    // Keeps updating even when far from the camera.
    ACTOR_FLAG_UPDATE_ALWAYS = (1 << 4)
};

#define ACTOR_FLAGS_DEFAULT (ACTOR_FLAG_TARGETABLE | ACTOR_FLAG_HOSTILE)

/**
 * The fields every actor starts with.
 */
typedef struct Actor {
    /* 0x00 */ s16 id;
    /* 0x02 */ u8 category;
    /* 0x04 */ u32 flags;
    /* 0x08 */ Vec3f pos;
    /* 0x14 */ Vec3s rot;
    /* 0x1C */ f32 speed;
    /* 0x20 */ struct Actor* parent;
    /* 0x24 */ struct Actor* next;
} Actor; // size = 0x28

/**
 * Describes an actor type to the overlay loader.
 */
typedef struct ActorProfile {
    /* 0x00 */ s16 id;
    /* 0x02 */ u8 category;
    /* 0x04 */ u32 flags;
    /* 0x08 */ s16 objectId;
    /* 0x0C */ u32 instanceSize;
    /* 0x10 */ ActorFunc init;
    /* 0x14 */ ActorFunc destroy;
    /* 0x18 */ ActorFunc update;
    /* 0x1C */ ActorFunc draw;
} ActorProfile; // size = 0x20

Actor* Actor_Spawn(PlayState* play, s16 actorId, f32 x, f32 y, f32 z, s16 params);
void Actor_Kill(Actor* actor);
Actor* Actor_FindNearby(PlayState* play, Actor* origin, s16 actorId, u8 category, f32 range);
f32 Actor_WorldDistXZ(Actor* a, Actor* b);
s32 Actor_IsFacing(Actor* actor, s16 angle);
void Actor_MoveForward(Actor* actor);
const char* Actor_GetCategoryName(u8 category);

#ifdef SAMPLE_DEBUG
void Actor_DebugPrint(Actor* actor);
#endif

#endif
