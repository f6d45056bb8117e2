/*
 * cursor_cli.h -- the `layerace cursor` and `layerace replay` (cursor repro files) subcommands.
 * Each takes argv[0] == its name and returns the exit code (common/exit.h): LR_EXIT_CLEAN,
 * LR_EXIT_FOUND (a divergence), LR_EXIT_ENV (usage or
 * environment error; a repro file with a line that does not read: FILE:LINE). Whether a file is a
 * cursor repro file is cursor/cursor.h's lr_cursor_is_repro.
 */
#ifndef LR_CURSOR_CLI_H
#define LR_CURSOR_CLI_H

int lr_cursor_main(int argc, char **argv);
int lr_replay_main(int argc, char **argv);

#endif /* LR_CURSOR_CLI_H */
