#ifndef PACKER_H
#define PACKER_H

/* A host program's header: built by tools/Makefile with the host compiler, never with the profile. */
#define PACKER_COUNTER(name) int name##Count;

typedef struct PackerState {
    PACKER_COUNTER(chunk)
} PackerState;

#endif
