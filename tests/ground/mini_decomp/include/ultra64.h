#ifndef ULTRA64_H
#define ULTRA64_H

#include "ultra64/ultratypes.h"
#include "ultra64/gbi.h"

#endif
