#ifndef SFX_H
#define SFX_H

#include "ultra64.h"

#define DEFINE_SFX(enumValue, _importance, _range) enumValue,

typedef enum SfxId {
    SFX_NONE = 0x7FF,
    #include "tables/sfx_table.h"
    SFX_MAX
} SfxId;

#undef DEFINE_SFX

#endif
