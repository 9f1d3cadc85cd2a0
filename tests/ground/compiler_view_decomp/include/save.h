#ifndef SAVE_H
#define SAVE_H

#include "ultra64.h"

typedef enum Language {
#if REGION_JP
    /* 0 */ LANGUAGE_JAPANESE,
#endif
    /* 1 */ LANGUAGE_ENGLISH,
#if !REGION_JP
    /* 2 */ LANGUAGE_FRENCH,
#endif
    LANGUAGE_MAX
} Language;

typedef struct SaveContext {
    u8 language;
    s16 hearts;
} SaveContext;

extern SaveContext gSave;

#endif
