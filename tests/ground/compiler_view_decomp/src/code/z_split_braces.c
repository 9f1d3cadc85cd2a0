/* A function whose opening braces an #if chooses between, as older decomp files do. */

#include "global.h"

void SplitBraces_Update(Actor* thisx, PlayState* play) {
    s16 hopCount;
    Vec3f sBounceOffset;

#if DEBUG_MODE
    if (thisx->params > 0) {
#else
    if (thisx->params < 0) {
#endif
        hopCount = thisx->params;
        sBounceOffset.x = 0.0f;
        thisx->world.x = sBounceOffset.x + hopCount;
    }
}

s32 gSplitBracesCount = 0;
