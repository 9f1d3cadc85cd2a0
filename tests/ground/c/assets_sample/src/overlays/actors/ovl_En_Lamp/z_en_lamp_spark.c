/* An effect written for modsmith's tests: it defines one list over the overlay's `.inc.c` data and
 * includes the rest from the overlay's asset source, as real overlays do. */
#include "ultra64.h"

static Gfx sOwnSparkDL[1] = {
#include "assets/overlays/ovl_En_Lamp/sLampSparkDL.inc.c"
};

#include "assets/overlays/ovl_En_Lamp/ovl_En_Lamp.c"

Gfx* EnLampSpark_Draw(Gfx* gfx) {
    u32* spark = sLampSparkTex;
    u64* glow = sLampGlowTex;

    *gfx++ = sOwnSparkDL[0];
    *gfx++ = sLampSparkDL[0];
    return gfx + (spark != 0) + (glow != 0) + (sizeof(sLampSparkVtx) / sizeof(Vtx));
}
