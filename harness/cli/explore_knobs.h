/*
 * explore_knobs.h -- the one table of `layerace explore` knobs, in the form options/knob.h
 * describes:
 *
 *   X(id, "name", KIND, field, "METAVAR", lo, hi, "default", CLASS, names, "help")
 *
 * field is an lr_exp_options member (explore.h). Every run of an exploration is a controlled
 * stress run of the same small workload; run i's seed, policy and strategy derive from the
 * exploration's seed and i (explore.c), and a failing run is written as an ordinary stress repro
 * file, so these knobs never appear in a repro file themselves.
 */
#ifndef LR_EXPLORE_KNOBS_H
#define LR_EXPLORE_KNOBS_H

#include "options/knob.h"

/* At most a day of exploring, and a billion runs. */
#define LR_EXP_DURATION_MAX_MS (24ULL * 3600 * 1000)
#define LR_EXP_RUNS_MAX 1000000000ULL

/* clang-format off */
#define LR_EXP_KNOBS(X)                                                                            \
    X(seed, "seed", SEED, seed, "S", 0, 0, NULL, RUN, NULL,                                        \
      "the exploration's seed; run i's seed derives from (seed, i) [random, printed]")             \
    X(runs, "runs", U64, runs, "N", 0, LR_EXP_RUNS_MAX, "100", RUN, NULL,                          \
      "stop after N runs; 0 with --duration: no run limit [100]")                                  \
    X(duration, "duration", SEC, duration_ms, "SEC", 0, LR_EXP_DURATION_MAX_MS, "0", RUN, NULL,    \
      "stop after SEC seconds (a run under way finishes), whichever of --runs and --duration"      \
      " ends first; 0: no time limit [0]")                                                         \
    X(sched, "sched", SET, scheds, "LIST", 0, 0, "random,urw,pos", RUN, __sched_names,                 \
      "strategies to rotate through, a comma list of random, pct, pos, urw, or all"                \
      " [random,urw,pos]")                                                                             \
    X(depth, "depth", INT, depth, "D", 1, 16, "2", RUN, NULL,                                      \
      "PCT's bug depth d: d-1 priority change points [2]")                                         \
    X(policy, "policy", SET, policies, "LIST", 0, 0, "reject,wait", RUN, __policy_names,           \
      "RTI hook policies to rotate through: reject, wait, off (upstream's hazards), upstream, boundary"    \
      " [reject,wait: both must end clean]")                                                       \
    X(threads, "threads", INT, threads, "N", 0, 16, "2", RUN, NULL,                                \
      "schema workers per run; 0: the pool's tables exist from the start and never change [2]")                                                                \
    X(data_threads, "data-threads", INT, data_threads, "N", 0, 16, "1", RUN, NULL,                 \
      "data workers per run [1]")                                                                  \
    X(ops, "ops", U64, ops, "N", 1, 100000, "12", RUN, NULL,                                       \
      "worker operations per run [12]")                                                            \
    X(run_limit, "run-limit", SEC, run_limit_ms, "SEC", 0, LR_EXP_DURATION_MAX_MS, "10", RUN,   \
      NULL,                                                                                        \
      "a run stops once its virtual clock (1 ms a scheduling point) reaches SEC, even short of"    \
      " --ops: a strategy may let one thread spin while the others wait; 0: no limit [10]")       \
    X(liveness, "liveness", SEC, liveness_ms, "SEC", 100, LR_EXP_DURATION_MAX_MS, "60", MODE, NULL, \
      "a run's operation still retried after SEC virtual seconds is a liveness violation [60]")    \
    X(tables, "tables", INT, tables, "K", 1, 64, "2", RUN, NULL,                                   \
      "table-name pool; a small pool makes operations collide [2]")                                \
    X(nodes, "nodes", INT, nodes, "N", 2, 16, "2", RUN, NULL,                                      \
      "nodes in each run's cluster [2]")                                                           \
    X(redeliver, "redeliver", INT, redeliver, "PCT", 0, 100, "2", RUN, NULL,                       \
      "chance in percent that a follower's copy of a write is applied twice (stress --redeliver)" \
      " [2]")                                                                                      \
    X(lag, "lag", INT, lag, "PCT", 0, 100, "0", RUN, NULL,                                         \
      "chance in percent that a follower's copy of a write is held back (stress --lag) [0]")       \
    X(bg, "bg", INT, bg, "PCT", 0, 100, "0", RUN, NULL,                                            \
      "chance in percent that a leader's maintenance round is the library's background round"     \
      " (stress --bg) [0]")                                                                        \
    X(faults, "faults", FAULTS, faults, "LIST", 0, 0, "none", LR_FAULTS_CLASS, lr_stress_fault_names,      \
      LR_FAULTS_HELP) \
    X(match, "match", PATH, match, "REGEX", 0, 0, "", MODE, NULL,                                 \
      "a run fails only if one of its violations, as \"INVARIANT: what\", matches the extended"  \
      " regular expression (class 1: \"I5: drop .* during the node's step-up\"); other runs with" \
      " violations are counted and the search goes on [any]")                                    \
    X(out, "out", PATH, out, "DIR", 0, 0, "./layerace-explore", OUT, NULL,                         \
      "each run's database db-SEED (removed after a clean run), the step estimates, and the"       \
      " failing run's repro-SEED.conf and schedule-SEED.txt [./layerace-explore]")                 \
    X(db_dir, "db-dir", PATH, db_dir, "DIR", 0, 0, "auto", OUT, NULL,                              \
      "where the runs' databases go: \"auto\" a tmpfs (/dev/shm) when it has room, else --out;"     \
      " \"out\" under --out; or a directory. A database is fsync-bound on a disk [auto]")           \
    X(json, "json", PATH, json, "FILE", 0, 0, "", OUT, NULL,                                       \
      "also write the report as JSON to FILE")                                                     \
    X(trace, "trace", PATH, trace, "FILE", 0, 0, "", OUT, NULL,                                   \
      "the failing run's Chrome trace-event JSON goes to FILE [OUT/trace-SEED.json]")              \
    X(shrink, "shrink", FLAG, shrink, NULL, 0, 0, "1", OUT, NULL,                                  \
      "shrink the failing run and print it as a swimlane (OUT/shrunk-SEED/) [on]")                \
    X(quiet, "quiet", FLAG, quiet, NULL, 0, 0, "0", OUT, NULL,                                     \
      "no progress line (there is none when stdout is not a terminal)")
/* clang-format on */

#endif /* LR_EXPLORE_KNOBS_H */
