/* A lamp actor written for modsmith's tests: it uses every kind of asset the sample XML has. */
#include "ultra64.h"
#include "animation.h"
#include "bgcheck.h"
#include "assets/objects/object_lamp/object_lamp.h"
#include "assets/objects/object_sign/object_sign.h"

typedef struct EnLamp {
    SkelAnime skelAnime;
    SkelAnime postSkelAnime;
    Vec3s jointTable[LAMP_LIMB_MAX];
    Vec3s postJointTable[LIMB_OBJECT_LAMP_000380_MAX];
} EnLamp;

/* The texture is declared with its real size: 16 x 16 texels of 16 bits. */
typedef char GlassTexSizeCheck[sizeof(gLampGlassTex) == gLampGlassTex_WIDTH * gLampGlassTex_HEIGHT * 2 ? 1 : -1];
typedef char ShadeLengthCheck[sizeof(gLampShadeDL) == 3 * sizeof(Gfx) ? 1 : -1];
typedef char SignCheck[OBJECT_SIGN_COMMITTED];

void EnLamp_Init(EnLamp* this) {
    SkelAnime_InitFlex(&this->skelAnime, &gLampSkel, &gLampSwayAnim);
    SkelAnime_Init(&this->postSkelAnime, &gLampPostSkel, &gLampSwayAnim);
}

Gfx* EnLamp_Draw(EnLamp* this, Gfx* gfx, s32 limbIndex) {
    u64* glass = gLampGlassTex;
    u64* palette = gLampFlameTLUT;
    CollisionHeader* col = &gLampCol;
    Vtx* vtx = gLampVtx;
    u8* blob = gLampUnknownBlob;
    u64* plate = gLampPlateV1Tex;

    if (limbIndex == LAMP_LIMB_SHADE || limbIndex == LIMB_OBJECT_LAMP_0002CC) {
        *gfx++ = gLampShadeDL[0];
    }
    *gfx++ = gLampDL[0];
    *gfx++ = gSignBoardDL[0];
    return gfx + (glass != palette) + (col != 0) + (vtx != 0) + (blob != 0) + (plate != 0);
}
