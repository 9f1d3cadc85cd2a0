/* Notes from the original engine team, saved in Latin-1: café à la crème. */
#include "sample_types.h"

s32 Legacy_Unused(void) {
    return 0;
}
