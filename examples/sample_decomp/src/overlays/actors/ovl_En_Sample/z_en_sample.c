/*
 * File: z_en_sample.c
 * Overlay: ovl_En_Sample
 * Description: Wandering villager
 */

#include "z_en_sample.h"

#define FLAGS (ACTOR_FLAG_TARGETABLE | ACTOR_FLAG_UPDATE_ALWAYS)

#define THIS ((EnSample*)thisx)

void EnSample_Init(Actor* thisx, PlayState* play);
void EnSample_Destroy(Actor* thisx, PlayState* play);
void EnSample_Update(Actor* thisx, PlayState* play);
void EnSample_Draw(Actor* thisx, PlayState* play);

static void EnSample_Idle(EnSample* this, PlayState* play);
static void EnSample_Wander(EnSample* this, PlayState* play);

ActorProfile EnSample_Profile = {
    /**/ 0x0123,
    /**/ ACTORCAT_NPC,
    /**/ FLAGS,
    /**/ 0x0042,
    /**/ sizeof(EnSample),
    /**/ EnSample_Init,
    /**/ EnSample_Destroy,
    /**/ EnSample_Update,
    /**/ EnSample_Draw,
};

static f32 sWanderSpeeds[] = { 1.0f, 1.5f, 2.25f };

/**
 * Sets the action function and resets the shared timer.
 */
static void EnSample_SetupAction(EnSample* this, EnSampleActionFunc actionFunc) {
    this->actionFunc = actionFunc;
    this->timer = 0;
}

void EnSample_Init(Actor* thisx, PlayState* play) {
    EnSample* this = THIS;

    this->state = EN_SAMPLE_STATE_IDLE;
    this->textId = 0x1000;
    thisx->speed = 0.0f;
    EnSample_SetupAction(this, EnSample_Idle);
}

void EnSample_Destroy(Actor* thisx, PlayState* play) {
}

// Stands still for a while, then picks a direction and starts wandering.
static void EnSample_Idle(EnSample* this, PlayState* play) {
    this->timer++;
    if (this->timer > 40) {
        this->actor.rot.y += 0x2000;
        this->actor.speed = sWanderSpeeds[this->timer % ARRAY_COUNT(sWanderSpeeds)];
        this->state = EN_SAMPLE_STATE_WANDER;
        EnSample_SetupAction(this, EnSample_Wander);
    }
}

static void EnSample_Wander(EnSample* this, PlayState* play) {
    Actor_MoveForward(&this->actor);
    this->timer++;
    if (this->timer > 60) {
        this->actor.speed = 0.0f;
        this->state = EN_SAMPLE_STATE_IDLE;
        EnSample_SetupAction(this, EnSample_Idle);
    }
}

void EnSample_Update(Actor* thisx, PlayState* play) {
    EnSample* this = THIS;

    this->actionFunc(this, play);
}

void EnSample_Draw(Actor* thisx, PlayState* play) {
    Matrix_Push();
    Matrix_Translate(thisx->pos.x, thisx->pos.y, thisx->pos.z, 0);
    Matrix_Pop();
}
