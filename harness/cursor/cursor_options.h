/*
 * cursor_options.h -- the configuration of a `layerace cursor` run: the knobs of cursor_knobs.h
 * read from their defaults, a cursor repro file (replay) and the command line, each layer
 * overriding the one before, by the machinery of options/knob.h that `stress` uses too; printed
 * back as a command line, written with the operation sequence as a repro file, and as JSON.
 *
 * Names: lr_cur_options_* and lr_cur_repro_*, LR_CUR_KNOB_* for the knob enumerators.
 */
#ifndef LR_CURSOR_OPTIONS_H
#define LR_CURSOR_OPTIONS_H

#include "cursor/cursor_int.h"
#include "cursor/cursor_knobs.h"

enum {
#define LR_CUR_KNOB_ENUM(id, ...) LR_CUR_KNOB_##id,
    LR_CUR_KNOBS(LR_CUR_KNOB_ENUM)
#undef LR_CUR_KNOB_ENUM
      LR_CUR_KNOB_COUNT
};

typedef struct {
    lr_cur_config cfg;             /* what the run gets (lr_cur_options_finish fills in the rest) */
    uint64_t ops;                  /* --ops N, 0: no limit */
    uint64_t duration_ms;          /* --duration SEC, 0: no limit */
    int tables;                    /* --tables N */
    int keys;                      /* --keys K */
    char out[LR_PATH_MAX];         /* --out DIR */
    char json[LR_PATH_MAX];        /* --json FILE, "" for none */
    char trace[LR_PATH_MAX];       /* --trace FILE (Chrome trace-event JSON), "" for none */
    uint64_t trace_events;         /* --trace-events N */
    char listing[LR_PATH_MAX];     /* --listing FILE, "" for none, "-" for stdout */
    bool dry_run;                  /* --dry-run */
    bool given[LR_CUR_KNOB_COUNT]; /* set by a repro file or the command line, not a default */
} lr_cur_options;

/* The cursor command's table, for the machinery of options/knob.h. */
extern const lr_knob_table lr_cur_knobs;

/* The defaults of every knob (the seed is drawn by lr_cur_options_finish unless one is given). */
void lr_cur_options_init(lr_cur_options *o);

/*
 * lr_cur_options_parse --
 *     Read the command line of `cursor` or `replay` (argv[0] is the command name). Returns 0, -1
 *     after printing the usage for --help (exit 0), or LR_EXIT_ENV after a message and the
 *     usage. With want_file, exactly one non-option argument is expected (the repro file of
 *     `replay`) and returned in *filep.
 */
int lr_cur_options_parse(lr_cur_options *o, int argc, char **argv, bool want_file,
  const char **filep);

/* Draw the seed if none was given, check the knobs, fill in o->cfg. 0 or LR_EXIT_ENV. */
int lr_cur_options_finish(lr_cur_options *o);

/* The configuration as a command that repeats the run: "PROG cursor --seed S ...". */
void lr_cur_options_cmdline(const lr_cur_options *o, char *buf, size_t len);

/* The "config" object of the JSON summary at the given indentation. */
void lr_cur_options_json(const lr_cur_options *o, lr_json *j);

/* Usage of `cursor`, generated from the knob table. */
void lr_cur_options_usage(FILE *fp);

/*
 * lr_cur_repro_load --
 *     Read a cursor repro file on top of o and append its operations to seq: the knobs' lines
 *     and "op ..." lines, strictly (a malformed line, an unknown knob, a knob given twice, an
 *     operation that does not parse). Returns 0 or LR_EXIT_ENV after a message naming
 *     FILE:LINE or what the file lacks.
 */
int lr_cur_repro_load(lr_cur_options *o, const char *path, lr_cur_seq *seq);

/* Write a repro file atomically: o's knobs and seq, under a comment line. 0 or LR_EXIT_ENV. */
int lr_cur_repro_write(const char *path, const lr_cur_options *o, const lr_cur_seq *seq,
  const char *comment);

/* lr_cur_repro_read (cursor_int.h) is lr_cur_repro_load for a bare lr_cur_config. */

#endif /* LR_CURSOR_OPTIONS_H */
