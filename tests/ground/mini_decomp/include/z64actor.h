#ifndef Z64ACTOR_H
#define Z64ACTOR_H

#include "z64math.h"

struct Actor;
struct PlayState;

typedef void (*ActorFunc)(struct Actor* actor, struct PlayState* play);

typedef enum ActorCategory {
    ACTORCAT_SWITCH,
    ACTORCAT_BG,
    ACTORCAT_PLAYER,
    ACTORCAT_EXPLOSIVE,
    ACTORCAT_NPC,
    ACTORCAT_ENEMY,
    ACTORCAT_PROP,
    ACTORCAT_ITEMACTION,
    ACTORCAT_MISC
} ActorCategory;

#define ACTOR_FLAG_ATTENTION_ENABLED (1 << 0)
#define ACTOR_FLAG_UPDATE_CULLING_DISABLED (1 << 4)

/** What every actor starts with. */
typedef struct Actor {
    s16 id;
    u8 category;
    u32 flags;
    s16 params;
    Vec3f pos;
    Vec3s rot;
    Vec3f scale;
    f32 speed;
    struct Actor* parent;
} Actor;

/** How the game creates an actor: id, category, flags, object, size and its four functions. */
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

void Actor_SetScale(Actor* actor, f32 scale);
void Actor_Kill(Actor* actor);
f32 Actor_WorldDistXZToActor(Actor* actorA, Actor* actorB);

#endif
