#include "sample_types.h"

#define MESSAGE_NONE 0xFFFF

/**
 * Picks the next text box for a conversation with the sample villager.
 * `textId` is the box currently shown; `flags` holds the story progress bits.
 * Returns the id of the box to show next, or MESSAGE_NONE to end the talk.
 */
u16 Message_GetNextTextId(u16 textId, u32 flags) {
    u16 nextId = MESSAGE_NONE;

    switch (textId) {
        case 0x1000: /* greeting */
            if (flags & (1 << 0)) {
                nextId = 0x1100;
            } else {
                nextId = 0x1001;
            }
            break;
        case 0x1001: /* weather */
            if (flags & (1 << 1)) {
                nextId = 0x1101;
            } else {
                nextId = 0x1002;
            }
            break;
        case 0x1002: /* market */
            if (flags & (1 << 2)) {
                nextId = 0x1102;
            } else {
                nextId = 0x1003;
            }
            break;
        case 0x1003: /* fishing */
            if (flags & (1 << 3)) {
                nextId = 0x1103;
            } else {
                nextId = 0x1004;
            }
            break;
        case 0x1004: /* lantern */
            if (flags & (1 << 4)) {
                nextId = 0x1104;
            } else {
                nextId = 0x1005;
            }
            break;
        case 0x1005: /* bridge */
            if (flags & (1 << 5)) {
                nextId = 0x1105;
            } else {
                nextId = 0x1006;
            }
            break;
        case 0x1006: /* well */
            if (flags & (1 << 6)) {
                nextId = 0x1106;
            } else {
                nextId = 0x1007;
            }
            break;
        case 0x1007: /* orchard */
            if (flags & (1 << 7)) {
                nextId = 0x1107;
            } else {
                nextId = 0x1008;
            }
            break;
        case 0x1008: /* bell */
            if (flags & (1 << 8)) {
                nextId = 0x1108;
            } else {
                nextId = 0x1009;
            }
            break;
        case 0x1009: /* festival */
            if (flags & (1 << 9)) {
                nextId = 0x1109;
            } else {
                nextId = 0x100A;
            }
            break;
        case 0x100A: /* river */
            if (flags & (1 << 10)) {
                nextId = 0x110A;
            } else {
                nextId = 0x100B;
            }
            break;
        case 0x100B: /* mill */
            if (flags & (1 << 11)) {
                nextId = 0x110B;
            } else {
                nextId = 0x100C;
            }
            break;
        case 0x100C: /* harbour */
            if (flags & (1 << 12)) {
                nextId = 0x110C;
            } else {
                nextId = 0x100D;
            }
            break;
        case 0x100D: /* tower */
            if (flags & (1 << 13)) {
                nextId = 0x110D;
            } else {
                nextId = 0x100E;
            }
            break;
        case 0x100E: /* garden */
            if (flags & (1 << 14)) {
                nextId = 0x110E;
            } else {
                nextId = 0x100F;
            }
            break;
        case 0x100F: /* cellar */
            if (flags & (1 << 15)) {
                nextId = 0x110F;
            } else {
                nextId = 0x1010;
            }
            break;
        case 0x1010: /* forge */
            if (flags & (1 << 0)) {
                nextId = 0x1110;
            } else {
                nextId = 0x1011;
            }
            break;
        case 0x1011: /* library */
            if (flags & (1 << 1)) {
                nextId = 0x1111;
            } else {
                nextId = 0x1012;
            }
            break;
        case 0x1012: /* chapel */
            if (flags & (1 << 2)) {
                nextId = 0x1112;
            } else {
                nextId = 0x1013;
            }
            break;
        case 0x1013: /* stable */
            if (flags & (1 << 3)) {
                nextId = 0x1113;
            } else {
                nextId = 0x1014;
            }
            break;
        case 0x1014: /* meadow */
            if (flags & (1 << 4)) {
                nextId = 0x1114;
            } else {
                nextId = 0x1015;
            }
            break;
        case 0x1015: /* quarry */
            if (flags & (1 << 5)) {
                nextId = 0x1115;
            } else {
                nextId = 0x1016;
            }
            break;
        case 0x1016: /* inn */
            if (flags & (1 << 6)) {
                nextId = 0x1116;
            } else {
                nextId = 0x1017;
            }
            break;
        case 0x1017: /* lighthouse */
            if (flags & (1 << 7)) {
                nextId = 0x1117;
            } else {
                nextId = 0x1018;
            }
            break;
        case 0x1018: /* ferry */
            if (flags & (1 << 8)) {
                nextId = 0x1118;
            } else {
                nextId = 0x1019;
            }
            break;
        case 0x1019: /* bakery */
            if (flags & (1 << 9)) {
                nextId = 0x1119;
            } else {
                nextId = 0x101A;
            }
            break;
        case 0x101A: /* archive */
            if (flags & (1 << 10)) {
                nextId = 0x111A;
            } else {
                nextId = 0x101B;
            }
            break;
        case 0x101B: /* watchpost */
            if (flags & (1 << 11)) {
                nextId = 0x111B;
            } else {
                nextId = 0x101C;
            }
            break;
        case 0x101C: /* granary */
            if (flags & (1 << 12)) {
                nextId = 0x111C;
            } else {
                nextId = 0x101D;
            }
            break;
        case 0x101D: /* workshop */
            if (flags & (1 << 13)) {
                nextId = 0x111D;
            } else {
                nextId = 0x101E;
            }
            break;
        default:
            nextId = MESSAGE_NONE;
            break;
    }

    return nextId;
}
