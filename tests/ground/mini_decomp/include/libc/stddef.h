#ifndef LIBC_STDDEF_H
#define LIBC_STDDEF_H

typedef unsigned int size_t;
#define NULL ((void*)0)
#define offsetof(type, member) ((size_t) & (((type*)0)->member))

#endif
