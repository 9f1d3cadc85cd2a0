/*
 * File: z_en_perch.c
 * Description: a perch; its display list comes from an extracted asset (written for modsmith's tests)
 */

#include "global.h"
#include "assets/objects/object_perch/object_perch.h"

#define FLAGS 0

void EnPerch_Update(Actor* thisx, PlayState* play) {
    Actor_PlaySfx(thisx, SFX_PERCH_CREAK);
}

ActorProfile En_Perch_Profile = {
    ACTOR_EN_PERCH, 6, FLAGS, OBJECT_PERCH, sizeof(Actor), NULL, NULL, EnPerch_Update, NULL,
};
