/*
 * options_int.h -- what the three files of the options module share: the knob table built from
 * knobs.h and the functions that read and write one knob's value. Names: lr_knob*.
 *
 *   options.c        the table, one value's parsing and printing, the defaults
 *   options_read.c   the command line (getopt_long), repro files, the final checks
 *   options_write.c  the usage, the printed command line, the repro file, the JSON object
 */
#ifndef LR_OPTIONS_INT_H
#define LR_OPTIONS_INT_H

#include "options/options.h"

#ifdef LT_FAULTS
#define LR_PROG "layerace-faults"
#else
#define LR_PROG "layerace"
#endif

typedef enum {
    K_INT,
    K_U64,
    K_SEED,
    K_SEC,
    K_POLICY,
    K_FAULTS,
    K_PATH,
    K_FLAG,
    K_SCHED
} lr_knob_kind;
typedef enum { C_RUN, C_OUT, C_MODE, C_CLI, C_HIDDEN } lr_knob_class;

typedef struct {
    const char *name;     /* --name, and name= in a repro file */
    lr_knob_kind kind;
    size_t off;           /* of the value in lr_options */
    const char *meta;     /* METAVAR in the usage; NULL for a FLAG */
    uint64_t lo, hi;      /* bounds of INT, U64 and SEC (ms) */
    const char *def;      /* default, parsed like a value; NULL: computed */
    lr_knob_class cls;
    const char *help;
} lr_knob;

extern const lr_knob lr_knobs[LR_KNOB_COUNT];

#define LR_FIELD(o, k, type) ((type *)(void *)((char *)(o) + (k)->off))
#define LR_CFIELD(o, k, type) ((const type *)(const void *)((const char *)(o) + (k)->off))

/* Parse val into the knob's field (val NULL: a bare FLAG). Returns 0 or -1 with err set. */
int lr_knob_set(lr_options *o, const lr_knob *k, const char *val, char *err, size_t errlen);
/* The value as text that lr_knob_set reads back. */
void lr_knob_format(const lr_options *o, const lr_knob *k, char *buf, size_t len);
/* Whether the knob goes into the printed command line and the repro file. */
bool lr_knob_saved(const lr_options *o, const lr_knob *k);

#endif /* LR_OPTIONS_INT_H */
