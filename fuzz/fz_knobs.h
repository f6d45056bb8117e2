/*
 * fz_knobs.h -- checks shared by the targets of the knob machinery (options/knob.h).
 */
#ifndef LR_FZ_KNOBS_H
#define LR_FZ_KNOBS_H

#include <stddef.h>

#include "options/knob.h"

/* The command-line buffer the commands print into (cmd_stress.c, cursor_cli.c, explore.c). */
#define FZ_CMDLINE_MAX 8192

/* A rejection: rc is LR_EXIT_ENV and out (what was printed) starts with "PREFIX" and, if path is
 * not NULL, "PATH:", and ends a line. */
void fz_check_rejection(int rc, const char *out, const char *prefix, const char *path);

/* The configuration in o (size bytes, of table t) printed as a command line is not cut short,
 * and parsed again over init's defaults gives the same command line. */
void fz_check_cmdline(const lr_knob_table *t, const void *o, size_t size, void (*init)(void *));

/* Defaults of each table over a zeroed struct, for fz_check_cmdline. */
void fz_stress_init(void *o);
void fz_cursor_init(void *o);
void fz_explore_init(void *o);

#endif /* LR_FZ_KNOBS_H */
