#ifndef SAMPLE_TYPES_H
#define SAMPLE_TYPES_H

typedef signed char s8;
typedef unsigned char u8;
typedef signed short s16;
typedef unsigned short u16;
typedef signed int s32;
typedef unsigned int u32;
typedef float f32;

#define NULL ((void*)0)
#define TRUE 1
#define FALSE 0

/** Number of elements in a fixed-size array. */
#define ARRAY_COUNT(arr) (s32)(sizeof(arr) / sizeof(arr[0]))

/**
 * A position or direction in world space.
 */
typedef struct Vec3f {
    /* 0x00 */ f32 x;
    /* 0x04 */ f32 y;
    /* 0x08 */ f32 z;
} Vec3f; // size = 0x0C

typedef struct {
    /* 0x00 */ s16 x;
    /* 0x02 */ s16 y;
    /* 0x04 */ s16 z;
} Vec3s; // size = 0x06

#endif
