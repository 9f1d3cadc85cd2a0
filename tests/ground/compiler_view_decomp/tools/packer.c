#include "packer.h"

int main(void) {
    PackerState state = { 0 };
    return state.chunkCount;
}
