#ifndef Z64PLAY_H
#define Z64PLAY_H

#include "gfx.h"
#include "z64actor.h"

typedef struct GameState {
    GraphicsContext* gfxCtx;
    u32 frames;
} GameState;

/** Everything about the scene being played. */
typedef struct PlayState {
    GameState state;
    s16 sceneId;
    Actor* player;
} PlayState;

Actor* Actor_Spawn(PlayState* play, s16 actorId, f32 x, f32 y, f32 z, s16 rotY, s16 params);

#endif
