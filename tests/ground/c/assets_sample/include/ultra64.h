#ifndef ULTRA64_H
#define ULTRA64_H
typedef unsigned char u8;
typedef signed short s16;
typedef unsigned short u16;
typedef signed int s32;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef struct { u32 w0; u32 w1; } Gfx;
typedef struct { s16 ob[3]; u16 flag; s16 tc[2]; u8 cn[4]; } Vtx;
typedef union { s32 m[4][4]; long long force_alignment; } Mtx;
#endif
