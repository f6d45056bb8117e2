/*
 * options_int.h -- what the files of the options module share: one knob's value, read and
 * written. Names: lr_knob_*.
 *
 *   options.c         one knob's value: its parsing (strict), its printing, its default
 *   options_read.c    the command line (getopt_long), repro files (strict), seeds
 *   options_write.c   the usage, the printed command line, the repro file, the JSON object
 *   options_stress.c  the stress command's table (knobs.h) and its lr_options_* API
 */
#ifndef LR_OPTIONS_INT_H
#define LR_OPTIONS_INT_H

#include "options/options.h"

#define LR_FIELD(o, k, type) ((type *)(void *)((char *)(o) + (k)->off))
#define LR_CFIELD(o, k, type) ((const type *)(const void *)((const char *)(o) + (k)->off))

/* The table's given[] in o. */
#define LR_GIVEN(t, o) ((bool *)(void *)((char *)(o) + (t)->given_off))

/* Parse val into the knob's field in o (val NULL: a bare FLAG). Returns 0 or -1 with err set. */
int lr_knob_set(void *o, const lr_knob *k, const char *val, char *err, size_t errlen);
/* The value as text that lr_knob_set reads back. */
void lr_knob_format(const void *o, const lr_knob *k, char *buf, size_t len);
/* Whether the knob goes into the printed command line and the repro file. */
bool lr_knob_saved(const void *o, const lr_knob *k);

#endif /* LR_OPTIONS_INT_H */
