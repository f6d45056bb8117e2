/*
 * stress_int.h -- internal interfaces of the stress command: a life of the run (stress_life.c),
 * the lives of --crash-every (crash.c), its signal handling and crash note (stress_signal.c) and
 * its report (stress_report.c). Names: lr_sig_* and lr_report_*.
 */
#ifndef LR_STRESS_INT_H
#define LR_STRESS_INT_H

#include <stdbool.h>
#include <stdio.h>

#include "stress/engine.h"
#include "options/options.h"

/* How a run ended, for the report. */
typedef enum {
    LR_END_CLEAN,     /* finish returned 0 */
    LR_END_VIOLATION, /* finish returned 1 */
    LR_END_ERROR,     /* finish (or start) returned 2 */
    LR_END_CRASH,     /* the child of --fork died on a signal or ended with a strange status */
} lr_end;

#define CMDLINE_MAX 8192

/* stress_life.c: one life of the run in this process (child: of --fork or --crash-every), and
 * a parent's report of a crashed child. */
int lr_stress_life(const lr_options *o, const char *cmdline, bool child, double t0);
void lr_stress_crash_report(const lr_options *o, const char *cmdline, const char *what, double t0);
/* crash.c: --crash-every, the lives in children killed with SIGKILL and recovered. */
int lr_crash_run(const lr_options *o, const char *cmdline, double t0);

/* ---------------------------------------------------------------------------------------------
 * Signals (stress_signal.c).
 *
 * Stop signals (SIGINT, SIGTERM, SIGHUP): the first asks the run to stop (lr_stress_stop) and the
 * command then finishes and reports as usual; another one a second or more later kills the
 * process with that signal. Fatal signals (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGSYS):
 * the handler writes the crash note (OUT/crash-SEED.txt) and a few lines on stderr with
 * async-signal-safe calls only, from text prepared by lr_sig_arm, then re-raises the signal.
 */

/* Prepare the crash note's text and install the handlers. quiet_stderr: leave the crash lines on
 * stderr to the parent (--fork child). */
void lr_sig_arm(const lr_options *o, const char *cmdline, const char *replay, bool quiet_stderr);
/* The run that a stop signal stops (NULL: none yet, or no more). */
void lr_sig_set_run(lr_run *run);
/* Block (or unblock) the stop signals in the calling thread; threads it creates inherit it. */
void lr_sig_block_stops(bool block);
/* The stop signal received, 0 if none. */
int lr_sig_stop_requested(void);
/* Remember the latest counters for the crash note (main thread, once a second). */
void lr_sig_progress(const lr_counters *c);
/* Put the default actions back. */
void lr_sig_disarm(void);

/* Stop signals in the parent of --fork: forward them to the child. */
void lr_sig_forward_to(int pid);

/* SIGSEGV -> "SIGSEGV" (async-signal-safe; "signal N" names unknown ones "SIG?"). */
const char *lr_sig_name(int sig);

/* Append text to the crash note (the parent of --fork). Returns 0 or an errno. */
int lr_sig_note_append(const char *path, const char *text);

/* ---------------------------------------------------------------------------------------------
 * The report (stress_report.c).
 */

/* The replay command: "PROG replay REPRO", preceded by "rm -rf DB && " if the database stays. */
void lr_report_replay_cmd(const lr_options *o, bool db_left, char *buf, size_t len);

/* The summary after the run: counters (the must-be-zero ones say so), violations, replay. */
void lr_report_summary(FILE *fp, const lr_options *o, const lr_result *res, lr_end end,
  int stop_signal, double finish_s, const char *replay);

/*
 * lr_report_json --
 *     Write the JSON report to o->json: the configuration, status, counters (null when
 *     have_counters is false: the child of --fork crashed), hook counters, durations, ops/s,
 *     violations and the replay command. Returns 0 or LR_EXIT_ENV after a message.
 */
int lr_report_json(const lr_options *o, const char *cmdline, const lr_result *res,
  bool have_counters, lr_end end, int exit_code, int stop_signal, double finish_s, double total_s,
  const char *replay);

#endif /* LR_STRESS_INT_H */
