#ifndef TERMINAL_H
#define TERMINAL_H

#define TERM_SHADE_DARK 30
#define TERM_SHADE_LIGHT 90
#define TERM_HUE_RED 1
#define TERM_HUE_GREEN 2
#define TERM_HUE_BLUE 4

/* A colour code is put together from a shade name and a hue name. */
#define TERM_CODE(shade, hue) (TERM_SHADE_##shade + TERM_HUE_##hue)
#define TERM_TEXT(hue) TERM_CODE(LIGHT, hue)
#define TERM_LABEL(name) #name

#endif
