#ifndef OBJECT_SIGN_H
#define OBJECT_SIGN_H

/* Committed by hand in the repository: the check must use this header as it is. */
#include "ultra64.h"

#define OBJECT_SIGN_COMMITTED 1
extern Gfx gSignBoardDL[];

#endif
