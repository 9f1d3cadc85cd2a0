/*
 * File: z_en_bird.c
 * Description: a small bird that hops between perches (written for modsmith's tests)
 */

#include "z_en_bird.h"
#include "global.h"
#include "terminal.h"

#define FLAGS 0

#define rHopTimer timers[2]

void EnBird_Init(Actor* thisx, struct PlayState* play);
void EnBird_Destroy(Actor* thisx, struct PlayState* play);
void EnBird_Update(Actor* thisx, struct PlayState* play);
void EnBird_Draw(Actor* thisx, struct PlayState* play);

ActorProfile En_Bird_Profile = {
    ACTOR_EN_BIRD, 6, FLAGS, OBJECT_BIRD, sizeof(EnBird), EnBird_Init, EnBird_Destroy, EnBird_Update, EnBird_Draw,
};

static void EnBird_Flap(EnBird* thisx) {
    thisx->wingParam1 += 0.5f;
    thisx->vWingAngle *= 0.9f;
}

void EnBird_Init(Actor* thisx, PlayState* play) {
    EnBird* this = (EnBird*)thisx;

    Actor_SetScale(thisx, 0.01f);
    this->perchTimer = 20;
    this->rHopTimer = 3;
    if (gSave.language == LANGUAGE_JAPANESE) {
        this->perchKind = 1;
    }
    if (DEBUG_MODE) {
        thisx->params = TERM_TEXT(GREEN);
    }
}

void EnBird_Destroy(Actor* thisx, PlayState* play) {
}

void EnBird_Update(Actor* thisx, PlayState* play) {
    EnBird* this = (EnBird*)thisx;

    thisx->world.y += 1.0f;
    EnBird_Flap(this);
    Actor_PlaySfx(thisx, SFX_BIRD_CHIRP);
}

void EnBird_Draw(Actor* thisx, PlayState* play) {
    gfxMix(play->polyOpa, TEXEL, PRIM, SHADE, ZERO);
}
