/*
 * knob.h -- the knob machinery every command's configuration is made of.
 *
 * A command lists its knobs once, as the rows of an X-macro table (options/knobs.h for
 * `stress`, cursor/cursor_knobs.h for `cursor`):
 *
 *   X(id, "name", KIND, field, "METAVAR", lo, hi, "default", CLASS, names, "help")
 *
 * id       C identifier; each table makes its own enumerators of it (LR_KNOB_<id>, ...)
 * name     the long option (--name) and the repro-file key (name=value)
 * KIND     how the value is parsed, stored and printed:
 *            INT     int, decimal, lo..hi
 *            U64     uint64_t, decimal, lo..hi
 *            SEED    uint64_t, decimal, any value
 *            SEC     seconds with up to 3 decimals ("1.5"), stored in milliseconds, lo..hi ms
 *            CHOICE  int: one of the names
 *            SET     unsigned mask: a comma list of the names, or "none" (an entry with several
 *                    bits, such as "all", names them at once)
 *            FAULTS  a SET of test-only defects: outside the test-only build (LT_FAULTS) only
 *                    "none" is accepted, anything else says to use layerace-faults
 *            PATH    a path, char[LR_PATH_MAX]; "" is none
 *            FLAG    bool: --name sets it, --no-name clears it; 0/1 in a repro file
 *          A SET or FAULTS value may also be a mask such as 0x30 made of the names' bits (the
 *          form older cursor repro files have).
 * field    the member of the command's options struct that holds the value
 * lo, hi   inclusive bounds for INT, U64 and SEC (ms); 0, 0 for the others
 * default  a string parsed exactly like a value given on the command line; NULL means computed
 *          by the command at start-up (the seed: lr_knobs_draw_seed)
 * CLASS    RUN     decides what the run does: always printed and written to the repro file
 *          OUT     where results go and how they show: printed and written when not the default
 *          MODE    decides what the run does, but printed and written only when not the default:
 *                  a mode whose default is the ordinary run (the scheduler), so that a free
 *                  run's first line and repro file stay as they were
 *          CLI     an action of this invocation only: never printed or written
 *          HIDDEN  accepted but neither shown in the usage nor printed (LR_FAULTS_CLASS: the
 *                  faults outside the test-only build)
 * names    the lr_knob_name list of a CHOICE, SET or FAULTS knob; NULL for the others
 *
 * The same rows drive the defaults, the getopt_long options, the usage text, the configuration
 * printed as a command line (the order of the rows), the repro file and the JSON "config" object.
 * Layers: defaults, then a repro file, then the command line, each overriding the one before. A
 * repro file is read strictly: a malformed line, an unknown knob or a knob given twice is an
 * error naming FILE:LINE.
 *
 * Functions returning an exit code return 0 or LR_EXIT_ENV (options/options.h) after a message.
 */
#ifndef LR_KNOB_H
#define LR_KNOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/json.h"

#define LR_PATH_MAX 1024
#define LR_KNOBS_MAX 64 /* rows of one table */

typedef enum {
    LR_K_INT,
    LR_K_U64,
    LR_K_SEED,
    LR_K_SEC,
    LR_K_CHOICE,
    LR_K_SET,
    LR_K_FAULTS,
    LR_K_PATH,
    LR_K_FLAG
} lr_knob_kind;
typedef enum { LR_C_RUN, LR_C_OUT, LR_C_MODE, LR_C_CLI, LR_C_HIDDEN } lr_knob_class;

/* One name of a CHOICE, SET or FAULTS knob; a list ends with {NULL, 0}. */
typedef struct {
    const char *name;
    unsigned val;
} lr_knob_name;

typedef struct {
    const char *name; /* --name, and name= in a repro file */
    lr_knob_kind kind;
    size_t off;       /* of the value in the options struct */
    const char *meta; /* METAVAR in the usage; NULL for a FLAG */
    uint64_t lo, hi;  /* bounds of INT, U64 and SEC (ms) */
    const char *def;  /* default, parsed like a value; NULL: computed */
    lr_knob_class cls;
    const lr_knob_name *names;
    const char *help;
} lr_knob;

/* A command's table. */
typedef struct {
    const char *cmd; /* "stress", "cursor": the command that the printed line repeats */
    const lr_knob *knobs;
    int n;
    size_t given_off; /* of bool given[n] in the options struct: set by a file or the CLI */
    /* After one layer (a repro file, the command line): rules across knobs of that layer. */
    void (*layer_done)(void *o, const bool *layer);
} lr_knob_table;

/* Faults are a run knob only in the test-only build. */
#ifdef LT_FAULTS
#define LR_FAULTS_CLASS RUN
#else
#define LR_FAULTS_CLASS HIDDEN
#endif

/* The --faults help of stress and explore: every name lr_stress_fault_names knows. */
#define LR_FAULTS_HELP                                                                   \
    "test-only defects to put back: drop_not_atomic, commit_no_gate, write_role_reread," \
    " txn_strand, stepdown_leak, hook_at_lock, oracle_keeps_rows, wait_in_section,"      \
    " pickup_stale_bind, drop_lock_invert, gc_no_ref, bg_no_recheck, flag_plain_read,"   \
    " wtf_ignored, drain_open_only, ckpt_unlocked, pickup_research, unbound_no_pin,"     \
    " role_keep_view, stable_no_config, drain_conflict, txn_role_only,"                  \
    " commit_past_boundary, restart_stale_view, ack_before_durable (comma list) [none]"

/*
 * Building a table from the rows: LR_KNOB_ENTRY(type, row...) is one lr_knob over the options
 * struct type; LR_KNOB_CHECK(type, row...) asserts that the field has the size its kind reads and
 * writes. A table's file defines a one-argument-list wrapper of each and expands its rows.
 */
#define LR_KNOB_CLASS(c) LR_KNOB_CLASS_(c) /* a class given as a macro expands first */
#define LR_KNOB_CLASS_(c) LR_C_##c
#define LR_KNOB_ENTRY(type, id, name, kind, field, meta, lo, hi, def, cls, names, help) \
    {name, LR_K_##kind, offsetof(type, field), meta, lo, hi, def, LR_KNOB_CLASS(cls), names, help},
#define LR_KSIZE_INT sizeof(int)
#define LR_KSIZE_U64 sizeof(uint64_t)
#define LR_KSIZE_SEED sizeof(uint64_t)
#define LR_KSIZE_SEC sizeof(uint64_t)
#define LR_KSIZE_CHOICE sizeof(int)
#define LR_KSIZE_SET sizeof(unsigned)
#define LR_KSIZE_FAULTS sizeof(unsigned)
#define LR_KSIZE_PATH ((size_t)LR_PATH_MAX)
#define LR_KSIZE_FLAG sizeof(bool)
#define LR_KNOB_CHECK(type, id, name, kind, field, meta, lo, hi, def, cls, names, help) \
    _Static_assert(sizeof(((type *)0)->field) == LR_KSIZE_##kind,                       \
      "knob " name ": the field's size does not match its kind");

/* Set every knob with a default to it (the struct is zeroed first by the caller). */
void lr_knobs_init(const lr_knob_table *t, void *o);

/*
 * lr_knobs_parse --
 *     Read a command line (argv[0] is the command name) on top of o. Returns 0, -1 after
 *     printing usage(stdout) for --help, or LR_EXIT_ENV after a one-line message and
 *     usage(stderr). With filep, exactly one non-option argument is expected (a repro file) and
 *     returned in *filep; without, none.
 */
int lr_knobs_parse(const lr_knob_table *t, void *o, int argc, char **argv, const char **filep,
  void (*usage)(FILE *));

/*
 * A repro file's lines that are not knobs (the cursor mode's operations): the reader offers each
 * line it does not skip to the hook first. It returns 1 when the line was its own, 0 when not
 * (the line is then read as name=value), -1 with what was wrong in err.
 */
typedef int (*lr_knob_line_fn)(void *arg, const char *line, char *err, size_t errlen);

/* Read a repro file on top of o. line: NULL, or the hook for other lines. */
int lr_knobs_load(const lr_knob_table *t, void *o, const char *path, lr_knob_line_fn line,
  void *arg);

/* The configuration as a command that repeats the run: "PROG CMD --seed S ...". */
void lr_knobs_cmdline(const lr_knob_table *t, const void *o, char *buf, size_t len);

/*
 * lr_knobs_save --
 *     Write a repro file atomically (a temporary file, fsync, rename): header (comment lines,
 *     may be NULL), one name=value line per knob that is saved, then extra(arg, fp) if given.
 */
int lr_knobs_save(const lr_knob_table *t, const void *o, const char *path, const char *header,
  void (*extra)(const void *arg, FILE *fp), const void *arg);

/* The "config" object of a JSON report: { "seed": 1, ... } at the given indentation. */
void lr_knobs_json(const lr_knob_table *t, const void *o, lr_json *j);

/* The "Options (defaults in brackets):" section of a usage text. */
void lr_knobs_usage(const lr_knob_table *t, FILE *fp);

/* A seed from /dev/urandom, 53 bits (exact in JSON readers that hold numbers as doubles). */
int lr_knobs_draw_seed(const char *cmd, uint64_t *seedp);

#endif /* LR_KNOB_H */
