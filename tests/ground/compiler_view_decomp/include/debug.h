#ifndef DEBUG_H
#define DEBUG_H

void Debug_Fail(const char* text);

/* Tests its condition and prints it when it fails: the argument is both code and spelling. */
#define DEBUG_CHECK(cond) ((cond) ? (void)0 : Debug_Fail(#cond))

#endif
