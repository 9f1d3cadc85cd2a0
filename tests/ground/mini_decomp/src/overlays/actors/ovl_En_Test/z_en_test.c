#include "z_en_test.h"

#define FLAGS (ACTOR_FLAG_ATTENTION_ENABLED | ACTOR_FLAG_UPDATE_CULLING_DISABLED)

void EnTest_Init(Actor* thisx, PlayState* play);
void EnTest_Destroy(Actor* thisx, PlayState* play);
void EnTest_Update(Actor* thisx, PlayState* play);
void EnTest_Draw(Actor* thisx, PlayState* play);

void EnTest_Spin(EnTest* this, PlayState* play);

ActorProfile EnTest_Profile = {
    ACTOR_EN_TEST, ACTORCAT_PROP, FLAGS, OBJECT_GAMEPLAY_KEEP, sizeof(EnTest),
    EnTest_Init,   EnTest_Destroy, EnTest_Update, EnTest_Draw,
};

void EnTest_Init(Actor* thisx, PlayState* play) {
    EnTest* this = (EnTest*)thisx;

    Actor_SetScale(&this->actor, 0.01f);
    this->spinSpeed = 0x200;
    this->actionFunc = EnTest_Spin;
}

void EnTest_Destroy(Actor* thisx, PlayState* play) {
}

void EnTest_Spin(EnTest* this, PlayState* play) {
    this->actor.rot.y += (s16)this->spinSpeed;
    if (this->timer > 0) {
        this->timer--;
    }
}

void EnTest_Update(Actor* thisx, PlayState* play) {
    EnTest* this = (EnTest*)thisx;

    this->actionFunc(this, play);
}

void EnTest_Draw(Actor* thisx, PlayState* play) {
    EnTest* this = (EnTest*)thisx;

    OPEN_DISPS(play->state.gfxCtx, "z_en_test.c", 50);
    Matrix_Translate(this->actor.pos.x, this->actor.pos.y, this->actor.pos.z, MTXMODE_NEW);
    MATRIX_FINALIZE_AND_LOAD(POLY_OPA_DISP++, play->state.gfxCtx, "z_en_test.c", 52);
    CLOSE_DISPS(play->state.gfxCtx, "z_en_test.c", 53);
}
