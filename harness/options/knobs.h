/*
 * knobs.h -- the one table of `layerace stress` knobs, in the form knob.h
 * describes:
 *
 *   X(id, "name", KIND, field, "METAVAR", lo, hi, "default", CLASS, names, "help")
 *
 * field is an lr_options member (options.h; the engine's lr_config is lr_options.cfg). Adding a
 * knob is adding a row (and the member it names). Computed defaults: threads 2 x lr_cores(), at
 * most 256; the seed is drawn by lr_options_finish. The order of the rows is the order of the
 * usage text and of the printed command line: the seed comes first, as it is what differs between
 * two runs.
 *
 * Knobs and the odds of detection (README.md, "Knobs") in short: more schema threads and a
 * smaller table pool make schema operations collide with each other and with transitions; a
 * higher --perturb widens race windows at the library's yield points at the cost of throughput;
 * more nodes give the controller more step-up targets and more followers to check.
 */
#ifndef LR_KNOBS_H
#define LR_KNOBS_H

#include "options/knob.h"

/* Bounds: a transition needs a follower, so at least 2 nodes; at most a year of run time. */
#define LR_DURATION_MAX_MS (365ULL * 24 * 3600 * 1000)

/* clang-format off */
#define LR_KNOBS(X)                                                                                \
    X(seed, "seed", SEED, cfg.seed, "S", 0, 0, NULL, RUN, NULL,                                    \
      "the run's seed; every thread's random stream derives from (seed, thread id)"                \
      " [random, printed]")                                                                        \
    X(threads, "threads", INT, cfg.threads, "N", 0, 256, NULL, RUN, NULL,                          \
      "schema workers: create, drop and truncate on random nodes; 0: the pool's tables are"      \
      " created on every node at the start and never change [2 x cores]")                     \
    X(data_threads, "data-threads", INT, cfg.data_threads, "N", 0, 64, "2", RUN, NULL,             \
      "data workers: inserts, updates, removes, reads and scans [2]")                              \
    X(duration, "duration", SEC, cfg.duration_ms, "SEC", 0, LR_DURATION_MAX_MS, "60", RUN, NULL,   \
      "run time in seconds, fractions allowed (virtual time under --sched: 1 ms a scheduling"     \
      " point); 0 with --ops: no time limit [60]")                  \
    X(ops, "ops", U64, cfg.ops, "N", 0, 1000000000000ULL, "0", RUN, NULL,                          \
      "stop after N worker operations; --ops without --duration: no time limit [0: none]")         \
    X(policy, "policy", CHOICE, cfg.policy, "P", 0, 0, "rotate", RUN, __policy_names,              \
      "the RTI hook's policy: reject, wait, assert, off, upstream, boundary, or rotate: each node"  \
      " one of those that must end clean (reject, wait, upstream, boundary), from the seed"        \
      " [rotate]")                                                                                 \
    X(nodes, "nodes", INT, cfg.nodes, "N", 2, 16, "3", RUN, NULL,                                  \
      "nodes in the cluster; a transition needs a follower [3]")                                   \
    X(tables, "tables", INT, cfg.tables, "K", 1, 64, "4", RUN, NULL,                               \
      "table-name pool; a small pool makes operations collide [4]")                                \
    X(perturb, "perturb", INT, cfg.perturb_pct, "PCT", 0, 100, "10", RUN, NULL,                    \
      "chance in percent of a seeded delay at each library yield point [10]")                      \
    X(history, "history", INT, cfg.history_pct, "PCT", 0, 100, "20", RUN, NULL,                    \
      "chance in percent that a judged read on a leader scans at an older read timestamp and is"  \
      " compared with the oracle's history; with an odd seed the nodes' oldest timestamps are"     \
      " then the application's, moved by the maintenance threads [20]")                           \
    X(redeliver, "redeliver", INT, cfg.redeliver_pct, "PCT", 0, 100, "2", RUN, NULL,              \
      "chance in percent that a follower's copy of a committed write is applied twice, as an"      \
      " at-least-once operation log delivers it: the same key at the same timestamp again, its"    \
      " commit often late [2]")                                                                    \
    X(lag, "lag", INT, cfg.lag_pct, "PCT", 0, 100, "10", RUN, NULL,                                 \
      "chance in percent that a follower's copy of a committed write is held back and applied"     \
      " up to 50 ms later (500 virtual ms under a search strategy), after a checkpoint may hold"   \
      " it, as a lagging operation log applies it; not with restarts [10]")                         \
    X(bg, "bg", INT, cfg.bg_pct, "PCT", 0, 100, "30", RUN, NULL,                                   \
      "chance in percent that a leader's maintenance round runs the library's background round"   \
      " (its checkpoint server: a read of the node's role flag, then a checkpoint) instead of an"  \
      " explicit checkpoint [30]")                                                                 \
    X(faults, "faults", FAULTS, cfg.faults, "LIST", 0, 0, "none", LR_FAULTS_CLASS, lr_stress_fault_names,  \
      LR_FAULTS_HELP) \
    X(check_every, "check-every", SEC, cfg.check_every_ms, "SEC", 0, LR_DURATION_MAX_MS, "10",     \
      RUN, NULL,                                                                                   \
      "every SEC seconds park the threads, settle and compare every table with the oracle"         \
      " (I1, I7); 0: only at the end [10]")                                                        \
    X(liveness, "liveness", SEC, cfg.liveness_ms, "SEC", 100, LR_DURATION_MAX_MS, "60", MODE, NULL,\
      "an operation still retried after SEC seconds (rejected, busy) is a liveness violation;"     \
      " virtual seconds in a controlled run [60]")                                                  \
    X(wt_cache, "wt-cache", INT, cfg.wt_cache_mb, "MB", 1, 65536, "256", MODE, NULL,            \
      "WiredTiger's cache size in MB: most of a long run's memory, whatever its length [256]")   \
    X(restart_every, "restart-every", SEC, cfg.restart_every_ms, "SEC", 0, LR_DURATION_MAX_MS,    \
      "0", MODE, NULL,                                                                             \
      "restart a random node about every SEC seconds (seeded), during whatever runs, replay its"  \
      " operation log above the checkpoint it came back at and check it (I1, I7); needs --sched"  \
      " free [0: never]")                                                                          \
    X(crash_every, "crash-every", SEC, cfg.crash_every_ms, "SEC", 0, LR_DURATION_MAX_MS,        \
      "0", MODE, NULL,                                                                             \
      "run in a child and kill it with SIGKILL about every SEC seconds (seeded; some kills right"  \
      " after a transition begins), reopen and recover the cluster in a new child, replay the"     \
      " durable operation log (OUT/durlog-SEED.bin, synced before each acknowledgement) and check" \
      " every acknowledged write and drop (I1, I7); needs --sched free [0: never]")               \
    X(sched, "sched", CHOICE, cfg.sched.kind, "S", 0, 0, "free", MODE, __sched_names,            \
      "free: threads run free; or one thread at a time, switching only at scheduling points,"     \
      " chosen by a seeded strategy: random, pct, pos, urw, or follow: a free run's recorded"     \
      " order (--follow) (needs --ops; --duration is virtual time; ignores --check-every) [free]") \
    X(depth, "depth", INT, cfg.sched.depth, "D", 1, 16, "3", MODE, NULL,                          \
      "PCT's bug depth d: d-1 priority change points [3]")                                        \
    X(schedule, "schedule", PATH, schedule, "FILE", 0, 0, "", MODE, NULL,                         \
      "follow this recorded schedule exactly (a controlled run records OUT/schedule-SEED.txt"     \
      " and names it in its repro file) [none]")                                                  \
    X(follow, "follow", PATH, follow, "FILE", 0, 0, "", MODE, NULL,                               \
      "the order a failing free run recorded (OUT/order-SEED.txt) for --sched follow: the thread" \
      " whose next recorded point came first runs [none]")                                        \
    X(thread_ops, "thread-ops", PATH, thread_ops, "LIST", 0, 0, "", MODE, NULL,                 \
      "each thread stops after this many of its own operations (loop rounds), in thread order:"   \
      " the controller, the schema workers, the data workers; a shrunk run's [none]")              \
    X(check_determinism, "check-determinism", FLAG, check_determinism, NULL, 0, 0, "0", CLI, NULL, \
      "run the controlled configuration twice and compare the two step traces")                   \
    X(stop_on, "stop-on", PATH, stop_on, "REGEX", 0, 0, "", MODE, NULL,                          \
      "stop only at a violation that, as \"INVARIANT: what\", matches the extended regular"      \
      " expression (the others are kept and reported); for timing one race class [any]")         \
    X(wt_faults, "wt-faults", PATH, wt_faults, "SPEC", 0, 0, "", MODE, NULL,                     \
      "inject WiredTiger errors (ENOSPC, EIO, EBUSY, WT_ROLLBACK) at library call sites:"        \
      " seed=N,rate=P[,kinds=enospc+eio+ebusy+rollback][,sites=PREFIX][,SITE@N=KIND];"           \
      " a fault the library returned cleanly is counted as handled; kinds=...+panic or"            \
      " SITE@N=panic (WT_PANIC) needs --crash-every: a panic ends the life like a kill [none]")   \
    X(keep_going, "keep-going", FLAG, cfg.keep_going, NULL, 0, 0, "0", OUT, NULL,                  \
      "go on after the first violation (by default the run stops there)")                          \
    X(out, "out", PATH, out, "DIR", 0, 0, "./layerace-out", OUT, NULL,                             \
      "artefacts: repro-SEED.conf, crash-SEED.txt, the database db-SEED [./layerace-out]")         \
    X(json, "json", PATH, json, "FILE", 0, 0, "", OUT, NULL,                                       \
      "also write the report as JSON to FILE")                                                     \
    X(trace, "trace", PATH, trace, "FILE", 0, 0, "", OUT, NULL,                                   \
      "write the run as Chrome trace-event JSON (Perfetto, chrome://tracing); a failing"         \
      " controlled run writes OUT/trace-SEED.json anyway [none]")                                  \
    X(trace_events, "trace-events", U64, trace_events, "N", 16, 100000000ULL, "10000", OUT, NULL,   \
      "events kept per thread in the trace: a long run keeps its last N [10000]")                  \
    X(watchdog, "watchdog", SEC, watchdog_ms, "SEC", 0, LR_DURATION_MAX_MS, "120", OUT, NULL,    \
      "free mode: no operation or event for SEC seconds is a hang: every thread's operation,"     \
      " last point and held locks are printed, exit 1; 0: off [120]")                              \
    X(shrink, "shrink", FLAG, shrink, NULL, 0, 0, "1", OUT, NULL,                                  \
      "a failing controlled run is shrunk (fewer preemptions, operations, threads) and the"       \
      " shrunk run printed as a swimlane and written as OUT/shrunk-SEED.conf [on]")               \
    X(record_order, "record-order", FLAG, record_order, NULL, 0, 0, "1", OUT, NULL,                \
      "free mode: record each thread's scheduling points in one global order; a failing run"      \
      " writes it (OUT/order-SEED.txt) and is followed under --sched follow to an exact"          \
      " controlled repro (OUT/follow-SEED/) [on]")                                                \
    X(quiet, "quiet", FLAG, cfg.quiet, NULL, 0, 0, "0", OUT, NULL,                                 \
      "no progress line (there is none when stdout is not a terminal)")                            \
    X(fork, "fork", FLAG, fork, NULL, 0, 0, "0", OUT, NULL,                                        \
      "run in a child process; a crash of the child is reported with its repro file")              \
    X(keep, "keep", FLAG, keep, NULL, 0, 0, "0", OUT, NULL,                                        \
      "keep OUT/db-SEED after a clean run (it is always kept otherwise)")                          \
    X(dry_run, "dry-run", FLAG, dry_run, NULL, 0, 0, "0", CLI, NULL,                               \
      "print the configuration, write the repro file, and exit 0 without running")
/* clang-format on */

#endif /* LR_KNOBS_H */
