/*
 * cursor.h -- the cursor stress as seen from outside cursor/ and cli/: whether a file is one of
 * its repro files (`layerace replay` asks, to pick the mode). The command line (cli/cursor_cli.c)
 * uses cursor_int.h.
 */
#ifndef LR_CURSOR_H
#define LR_CURSOR_H

#include <stdbool.h>

/* True if FILE is a cursor repro file (its first line is "# layerace cursor repro"). */
bool lr_cursor_is_repro(const char *path);

#endif /* LR_CURSOR_H */
