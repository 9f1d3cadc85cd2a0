#ifndef TEX_LEN_H
#define TEX_LEN_H
#define TEX_LEN(type, width, height, bits) ((width) * (height) * (bits) / (8 * sizeof(type)))
#endif
