/*
 * cursor_knobs.h -- the one table of `layerace cursor` knobs, in the form options/knob.h
 * describes:
 *
 *   X(id, "name", KIND, field, "METAVAR", lo, hi, "default", CLASS, names, "help")
 *
 * field is an lr_cur_options member (cursor_options.h; the run's lr_cur_config is
 * lr_cur_options.cfg, filled in by lr_cur_options_finish). The same rows drive the defaults, the
 * options of `cursor` and of `replay FILE`, the usage text, the configuration printed as a
 * command line, the knob lines of a cursor repro file and the JSON summary's "config". The seed
 * is drawn at start-up unless given.
 */
#ifndef LR_CURSOR_KNOBS_H
#define LR_CURSOR_KNOBS_H

#include "options/knob.h"

/* At most a year of run time, as for stress. */
#define LR_CUR_DURATION_MAX_MS (365ULL * 24 * 3600 * 1000)

/* clang-format off */
#define LR_CUR_KNOBS(X)                                                                            \
    X(seed, "seed", SEED, cfg.seed, "S", 0, 0, NULL, RUN, NULL,                                    \
      "the run's seed: the operation sequence derives from it [random, printed]")                  \
    X(ops, "ops", U64, ops, "N", 0, 1000000000000ULL, "100000", RUN, NULL,                         \
      "operations to generate; 0: no limit; --duration without --ops: no limit [100000]")          \
    X(duration, "duration", SEC, duration_ms, "SEC", 0, LR_CUR_DURATION_MAX_MS, "0", RUN, NULL,    \
      "stop after SEC seconds, fractions allowed (with --ops: whichever comes first); 0: no time"  \
      " limit [0]")                                                                                \
    X(tables, "tables", INT, tables, "N", 1, 1, "1", RUN, NULL,                                    \
      "layered tables (only 1 is supported) [1]")                                                  \
    X(keys, "keys", INT, keys, "K", 1, 9999, "24", RUN, NULL,                                      \
      "key-space size: small, so that operations collide [24]")                                    \
    X(node, "node", CHOICE, cfg.node, "WHICH", 0, 0, "both", RUN, __node_names,                    \
      "the layered node compared with the oracle: leader, follower or both (both always run)"      \
      " [both]")                                                                                   \
    X(inject, "inject", SET, cfg.inject, "LIST", 0, 0, "all", RUN, __inject_names,                 \
      "extreme events under positioned cursors: gc, tombstones, truncate, bulk, checkpoint, swap," \
      " prepare (comma list), all or none [all]")                                                  \
    X(faults, "faults", FAULTS, cfg.faults, "LIST", 0, 0, "none", LR_FAULTS_CLASS, __fault_names,  \
      "test-only cursor-merge defects to put back: prev_order, search_next, remove_other,"         \
      " modify_stable, point_no_ingest, ckpt_notfound (comma list) [none]")                        \
    X(shrink, "shrink", FLAG, cfg.shrink, NULL, 0, 0, "1", CLI, NULL,                              \
      "shrink a divergence to a 1-minimal sequence [on; off for replay]")                          \
    X(out, "out", PATH, out, "DIR", 0, 0, "./layerace-cursor", OUT, NULL,                          \
      "the database and the repro files cursor-repro-SEED[-min].txt [./layerace-cursor]")          \
    X(json, "json", PATH, json, "FILE", 0, 0, "", OUT, NULL,                                       \
      "also write a summary as JSON to FILE")                                                      \
    X(trace, "trace", PATH, trace, "FILE", 0, 0, "", OUT, NULL,                                    \
      "write the run as Chrome trace-event JSON (Perfetto, chrome://tracing): a track per side"    \
      " (oracle, node 0, node 1) and the driver's; a shrunk divergence's re-run writes"            \
      " OUT/cursor-trace-SEED-min.json anyway [none]")                                             \
    X(trace_events, "trace-events", U64, trace_events, "N", 16, 100000000ULL, "10000", OUT, NULL,  \
      "events kept per track in the trace: a long run keeps its last N [10000]")                   \
    X(listing, "listing", PATH, listing, "FILE", 0, 0, "", OUT, NULL,                              \
      "write every operation and its result to FILE as text, one a line ('-': stdout)")            \
    X(quiet, "quiet", FLAG, cfg.quiet, NULL, 0, 0, "0", OUT, NULL,                                 \
      "only the configuration, the summary and divergences")                                       \
    X(dry_run, "dry-run", FLAG, dry_run, NULL, 0, 0, "0", CLI, NULL,                               \
      "print the configuration (replay: after reading FILE) and exit 0 without running")
/* clang-format on */

#endif /* LR_CURSOR_KNOBS_H */
