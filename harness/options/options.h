/*
 * options.h -- the configuration of a `layerace stress` run: the knobs of knobs.h read from their
 * defaults, a repro file and the command line (in that order, each layer overriding the one
 * before), printed back as a command line, written as a repro file and as JSON, by the machinery
 * of knob.h that every command's configuration shares.
 *
 * Names: lr_options_* for the stress configuration, LR_KNOB_* for its knob enumerators, lr_knobs_*
 * for the machinery (knob.h).
 */
#ifndef LR_OPTIONS_H
#define LR_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "common/exit.h"
#include "common/json.h"
#include "stress/engine.h"
#include "options/knob.h"
#include "options/knobs.h"

enum {
#define LR_KNOB_ENUM(id, ...) LR_KNOB_##id,
    LR_KNOBS(LR_KNOB_ENUM)
#undef LR_KNOB_ENUM
      LR_KNOB_COUNT
};

typedef struct {
    lr_config cfg;                /* what the engine gets; cfg.dir points at dbdir */
    char out[LR_PATH_MAX];        /* --out DIR */
    char json[LR_PATH_MAX];       /* --json FILE, "" for none */
    bool fork;                    /* --fork */
    bool keep;                    /* --keep */
    bool dry_run;                 /* --dry-run */
    char schedule[LR_PATH_MAX];   /* --schedule FILE; a recording run's own, derived */
    char stop_on[LR_PATH_MAX];    /* --stop-on REGEX, "" for any violation; cfg.stop_on here */
    char wt_faults[LR_PATH_MAX];  /* --wt-faults SPEC, "" for none; cfg.wt_faults here */
    bool check_determinism;       /* --check-determinism */
    char thread_ops[LR_PATH_MAX]; /* --thread-ops LIST, parsed into cfg.thread_ops */
    char trace[LR_PATH_MAX];      /* --trace FILE */
    uint64_t trace_events;        /* --trace-events N */
    uint64_t watchdog_ms;         /* --watchdog SEC */
    bool shrink;                  /* --shrink */
    char follow[LR_PATH_MAX];     /* --follow FILE: the order --sched follow follows */
    bool record_order;            /* --record-order */
    bool given[LR_KNOB_COUNT];    /* set by a repro file or the command line, not a default */

    /* Derived by lr_options_finish. */
    char dbdir[LR_PATH_MAX];       /* OUT/db-SEED */
    char repro[LR_PATH_MAX];       /* OUT/repro-SEED.conf */
    char crash[LR_PATH_MAX];       /* OUT/crash-SEED.txt */
    char sched_steps[LR_PATH_MAX]; /* OUT/steps-CONFIG.txt: a controlled run's step counts */
    char trace_out[LR_PATH_MAX];   /* --trace, or OUT/trace-SEED.json (a failing controlled run) */
    char order[LR_PATH_MAX];       /* OUT/order-SEED.txt: a failing free run's order */
    char durlog[LR_PATH_MAX];      /* OUT/durlog-SEED.bin: --crash-every's durable log */
} lr_options;

/* The test-only defects a stress run (and explore) can put back, by name (--faults). */
extern const lr_knob_name lr_stress_fault_names[];

/* The program name used in messages and printed command lines (main.c sets it from argv[0]). */
extern const char *lr_progname;

/* The stress command's table, for the machinery of knob.h. */
extern const lr_knob_table lr_stress_knobs;

/* The defaults of every knob (the seed is drawn by lr_options_finish unless one is given). */
void lr_options_init(lr_options *o);

/*
 * lr_options_parse --
 *     Read the command line of `stress` or `replay` (argv[0] is the command name). Returns 0, -1
 *     after printing the usage for --help (exit 0), or LR_EXIT_ENV after printing a one-line
 *     message and the usage on stderr. With want_file, exactly one non-option argument is
 *     expected (the repro file of `replay`) and returned in *filep.
 */
int lr_options_parse(lr_options *o, int argc, char **argv, bool want_file, const char **filep);

/* Read a repro file into o. Returns 0 or LR_EXIT_ENV after a message naming FILE:LINE. */
int lr_options_load(lr_options *o, const char *path);

/*
 * lr_options_finish --
 *     Draw the seed if none was given, check the knobs against each other, and derive the
 *     artefact paths. Returns 0 or LR_EXIT_ENV after a message.
 */
int lr_options_finish(lr_options *o);

/* Set --thread-ops (and cfg.thread_ops) to v[0..n). */
void lr_options_set_thread_ops(lr_options *o, const uint32_t *v, int n);

/* The configuration as a command that repeats the run: "PROG stress --seed S --threads N ...". */
void lr_options_cmdline(const lr_options *o, char *buf, size_t len);
/* Each node's RTI policy, "node 0 reject, node 1 wait, ..." (--policy rotate picks them). */
void lr_options_policies(const lr_config *cfg, char *buf, size_t len);

/* Write the repro file (o->repro) atomically. Returns 0 or LR_EXIT_ENV after a message. */
int lr_options_save(const lr_options *o);

/* The members of the JSON report's "config" object ("seed": 1, ...), into the open object. */
void lr_options_json(const lr_options *o, lr_json *j);

/* Usage of `stress` and `replay`, generated from the knob table. */
void lr_options_usage(FILE *fp);
void lr_options_replay_usage(FILE *fp);

/* Format milliseconds as seconds without trailing zeros ("60", "1.5", "0.25"). */
void lr_format_seconds(uint64_t ms, char *buf, size_t len);

/* Append s to buf (NUL-terminated, size len), in single quotes if a shell would split it. */
void lr_append_quoted(char *buf, size_t len, const char *s);

#endif /* LR_OPTIONS_H */
