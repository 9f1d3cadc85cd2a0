#ifndef ACTOR_H
#define ACTOR_H

#include "ultra64.h"

struct Actor;
struct PlayState;

typedef void (*ActorFunc)(struct Actor* thisx, struct PlayState* play);

typedef struct Actor {
    /* 0x00 */ s16 id;
    /* 0x02 */ s16 params;
    /* 0x04 */ Vec3f world;
    /* 0x10 */ Vec3s rot;
    /* 0x18 */ f32 scale;
} Actor;

typedef struct ActorProfile {
    s16 id;
    u8 category;
    u32 flags;
    s16 objectId;
    u32 instanceSize;
    ActorFunc init;
    ActorFunc destroy;
    ActorFunc update;
    ActorFunc draw;
} ActorProfile;

/* Actors that sit on perches start with these members, declared through one macro. */
#define PERCH_BASE             \
    /* 0x00 */ Actor actor;    \
    /* 0x1C */ s16 perchTimer; \
    /* 0x1E */ u8 perchKind

typedef struct PerchBase {
    PERCH_BASE;
} PerchBase;

void Actor_SetScale(Actor* actor, f32 scale);
void Actor_PlaySfx(Actor* actor, u16 sfxId);
void Actor_Kill(Actor* actor);

#endif
