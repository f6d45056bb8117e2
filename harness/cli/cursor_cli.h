/*
 * cursor_cli.h -- the `layerace cursor` and `layerace replay` (cursor repro files) subcommands.
 * Each takes argv[0] == its name and returns the exit code: 0 clean, 1 divergence, 2 usage (a bad
 * option, or a repro file with a line that does not read: FILE:LINE).
 */
#ifndef LR_CURSOR_CLI_H
#define LR_CURSOR_CLI_H

#include <stdbool.h>

int lr_cursor_main(int argc, char **argv);
int lr_replay_main(int argc, char **argv);
/* True if FILE is a cursor repro file (its first line is "# layerace cursor repro"). */
bool lr_cursor_is_repro(const char *path);

#endif /* LR_CURSOR_CLI_H */
