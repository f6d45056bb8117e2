/*
 * stress_life.c -- one life of a stress run in this process: start the engine, progress once a
 * second on a terminal, lr_stress_finish, the summary, the JSON report (a clean run removes
 * OUT/db-SEED unless --keep); and the report of a parent whose child crashed.
 *
 * Test hook (documented in README.md): LAYERACE_TEST_CRASH=segv|abort|exit66 makes the run raise
 * SIGSEGV, call abort(), or _exit(66) right after the engine started, so that the crash note and
 * the --fork crash report can be tested without a crashing library.
 */
#include <errno.h>
#include <stdint.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/stress_int.h"
#include "common/clock.h"
#include "common/exit.h"
#include "common/fs.h"
#include "cli/follow.h"
#include "cli/shrink.h"
#include "cli/stress_sched.h"
#include "cli/watchdog.h"
#include "stress/checker.h"
#include "trace/trace.h"

/* __report_one -- the summary and JSON report of a run ended by one violation found outside the
 * engine's run (a crash, a home that cannot be recovered). */
static void
__report_one(const lr_options *o, const char *cmdline, const char *invariant, const char *what,
  lr_end end, double t0)
{
    lr_result *res;
    char replay[CMDLINE_MAX];

    lr_report_replay_cmd(o, true, replay, sizeof(replay));
    if ((res = calloc(1, sizeof(*res))) == NULL)
        return;
    res->nviolations = 1;
    lr_result_tally(res, invariant);
    snprintf(res->v[0].invariant, sizeof(res->v[0].invariant), "%s", invariant);
    snprintf(res->v[0].what, sizeof(res->v[0].what), "%s", what);
    res->v[0].thread[0] = res->v[0].thread[1] = -1;
    res->v[0].node = -1;
    lr_counters_add_prior(&res->c, o->cfg.crash_prior);
    res->c.kills = o->cfg.crash_kills;
    res->c.panics = o->cfg.crash_panics;
    res->c.rows_checked = o->cfg.crash_rows;
    lr_report_summary(stdout, o, res, end, 0, 0.0, replay);
    fflush(stdout);
    if (o->json[0] != '\0')
        (void)lr_report_json(o, cmdline, res, false, end, LR_EXIT_FOUND, 0, 0.0, lr_now_s() - t0,
          replay);
    free(res);
}

/* __test_crash -- the LAYERACE_TEST_CRASH hook (see the head of this file). */
static void
__test_crash(void)
{
    const char *how;

    if ((how = getenv("LAYERACE_TEST_CRASH")) == NULL || *how == '\0')
        return;
    fflush(stdout);
    if (strcmp(how, "segv") == 0)
        raise(SIGSEGV);
    else if (strcmp(how, "abort") == 0)
        abort();
    else if (strcmp(how, "exit66") == 0)
        _exit(66);
    fprintf(stderr, "layerace stress: LAYERACE_TEST_CRASH=%s: not segv, abort or exit66; ignored\n",
      how);
}

static void
__progress_line(const lr_options *o, const lr_counters *c, double ops_per_s)
{
    char left[64];

    if (o->cfg.duration_ms != 0)
        snprintf(left, sizeof(left), "%.0f s left",
          c->elapsed_ms >= o->cfg.duration_ms ?
            0.0 :
            (double)(o->cfg.duration_ms - c->elapsed_ms) / 1000.0);
    else
        snprintf(left, sizeof(left), "%llu ops left",
          (unsigned long long)(c->ops >= o->cfg.ops ? 0 : o->cfg.ops - c->ops));
    printf("\r%6.0f s  %9.0f ops/s  transitions %llu  rejected %llu  waited %llu  "
           "violations %llu  %s\033[K",
      (double)c->elapsed_ms / 1000.0, ops_per_s, (unsigned long long)c->transitions,
      (unsigned long long)c->rejected, (unsigned long long)c->waited,
      (unsigned long long)c->violations, left);
    fflush(stdout);
}

bool lr_shrink_forced;

/* __sched_failed -- the scheduler stops the process (a deadlock): write the trace first. */
static void
__sched_failed(void *arg, int code)
{
    const lr_options *o = (const lr_options *)(uintptr_t)arg;
    int err;

    if (lr_tracer == NULL)
        return;
    if ((err = lr_trace_write(o->trace_out)) != 0)
        fprintf(stderr, "layerace: cannot write the trace %s: %s\n", o->trace_out, strerror(err));
    else
        fprintf(stderr, "layerace: %s: trace %s, repro file %s\n",
          code == 1 ? "deadlock" : "stopped", o->trace_out, o->repro);
}

/*
 * lr_stress_life --
 *     Run the engine in this process and report. child: this is a child of --fork or
 *     --crash-every (the parent reports a crash on stderr).
 */
int
lr_stress_life(const lr_options *o, const char *cmdline, bool child, double t0)
{
    lr_sched_trace *first = NULL;
    lr_config cfg;
    lr_counters c;
    lr_result *res;
    lr_run *run;
    lr_end end;
    char replay[CMDLINE_MAX];
    double last_print, t, finish_start, finish_s;
    uint64_t last_ops;
    bool progress, db_left;
    int rc, ret, stop;

    if ((res = calloc(1, sizeof(*res))) == NULL) {
        fprintf(stderr, "layerace stress: out of memory\n");
        return (LR_EXIT_ENV);
    }
    /* --check-determinism: a first run keeps its steps; this one compares with them. */
    cfg = o->cfg;
    if (o->check_determinism) {
        if ((ret = lr_stress_sched_first(o, &first)) != 0) {
            free(res);
            return (ret);
        }
        cfg.sched.ref = first;
        cfg.sched.record = NULL;
    }
    lr_report_replay_cmd(o, true, replay, sizeof(replay));
    lr_sig_arm(o, cmdline, replay, child);
    if (cfg.sched.kind != LR_SCHED_FREE) { /* a deadlock: the trace beside the repro file */
        cfg.sched.on_fail = __sched_failed;
        cfg.sched.on_fail_arg = (void *)(uintptr_t)o;
    }
    if ((ret = lr_run_trace_open(o)) != 0) {
        lr_sig_disarm();
        lr_sched_trace_free(first);
        free(res);
        return (ret);
    }
    lr_watchdog_start(o);

    /* The engine's and WiredTiger's threads inherit the mask: stop signals reach this thread. */
    lr_sig_block_stops(true);
    ret = lr_stress_start(&cfg, &run);
    lr_sig_block_stops(false);
    if (ret == LR_EXIT_FOUND) { /* a life after a kill found the home unrecoverable */
        lr_watchdog_stop();
        lr_trace_close();
        lr_sig_disarm();
        lr_sched_trace_free(first);
        free(res);
        __report_one(o, cmdline, "I1", lr_stress_error(), LR_END_VIOLATION, t0);
        return (LR_EXIT_FOUND);
    }
    if (ret != 0) {
        fprintf(stderr, "layerace stress: the run did not start: %s\n", lr_stress_error());
        lr_watchdog_stop();
        lr_trace_close();
        lr_sig_disarm();
        lr_sched_trace_free(first);
        free(res);
        return (LR_EXIT_ENV);
    }
    lr_sig_set_run(run);
    __test_crash();

    progress = !o->cfg.quiet && isatty(STDOUT_FILENO);
    last_print = lr_now_s();
    last_ops = 0;
    while (!lr_stress_done(run) && lr_sig_stop_requested() == 0) {
        lr_sleep_ms(100);
        (void)lr_stress_tick(run);
        t = lr_now_s();
        if (t - last_print < 1.0)
            continue;
        lr_stress_progress(run, &c);
        lr_stress_note_counts(run, &c); /* --crash-every: the parent keeps what this life did */
        lr_sig_progress(&c);
        if (progress)
            __progress_line(o, &c, (double)(c.ops - last_ops) / (t - last_print));
        last_print = t;
        last_ops = c.ops;
    }
    if (progress) {
        printf("\r\033[K");
        fflush(stdout);
    }

    /* lr_stress_finish frees the run: no stop handler may reach it from here on (finish stops
     * the threads itself; another signal a second later still kills a finish that hangs). */
    lr_sig_set_run(NULL);
    stop = lr_sig_stop_requested();
    finish_start = lr_now_s();
    rc = lr_stress_finish(run, res);
    finish_s = lr_now_s() - finish_start;
    lr_watchdog_stop();
    lr_sig_disarm();
    if ((ret = lr_run_trace_close(o, res, rc != 0)) != 0 && rc == 0)
        rc = ret;

    end = rc == 0 ? LR_END_CLEAN : rc == 1 ? LR_END_VIOLATION : LR_END_ERROR;
    if (rc != 0 && rc != 1)
        rc = LR_EXIT_ENV;
    db_left = rc != 0 || o->keep;
    if (!db_left && (ret = lr_rm_rf(o->dbdir)) != 0) {
        fprintf(stderr, "layerace stress: cannot remove the database %s: %s\n", o->dbdir,
          strerror(ret));
        db_left = true;
        rc = LR_EXIT_ENV;
    }
    lr_report_replay_cmd(o, db_left, replay, sizeof(replay));
    lr_report_summary(stdout, o, res, end, stop, finish_s, replay);
    if (first != NULL) {
        lr_stress_sched_verdict(stdout, first, rc);
        lr_sched_trace_free(first);
    }
    fflush(stdout);
    if (o->json[0] != '\0' &&
      lr_report_json(o, cmdline, res, true, end, rc, stop, finish_s, lr_now_s() - t0, replay) !=
        0 &&
      rc == 0)
        rc = LR_EXIT_ENV;
    /* A failing free run is followed to a controlled repro (--record-order). */
    if (rc == 1 && o->cfg.sched.kind == LR_SCHED_FREE && res->order_written && stop == 0 &&
      lr_follow(o, res) == LR_EXIT_ENV)
        rc = LR_EXIT_ENV;
    /* A failing controlled run is shrunk (a shrunk run's replay only when asked to). */
    if (rc == 1 && o->cfg.sched.kind != LR_SCHED_FREE && o->shrink && stop == 0 &&
      !o->check_determinism && (lr_shrink_forced || !o->given[LR_KNOB_thread_ops]) &&
      (ret = lr_shrink(o, res, 0)) == LR_EXIT_ENV)
        rc = ret;
    free(res);
    return (rc);
}

/* lr_stress_crash_report -- the parent of --fork: the child crashed (what says how). */
void
lr_stress_crash_report(const lr_options *o, const char *cmdline, const char *what, double t0)
{
    char replay[CMDLINE_MAX], note[CMDLINE_MAX * 3];
    int ret;

    lr_report_replay_cmd(o, true, replay, sizeof(replay));
    snprintf(note, sizeof(note),
      "reported by the parent (pid %d): %s\ncommand: %s\nrepro: %s\nreplay: %s\n", (int)getpid(),
      what, cmdline, o->repro, replay);
    if ((ret = lr_sig_note_append(o->crash, note)) != 0)
        fprintf(stderr, "layerace stress: cannot write the crash note %s: %s\n", o->crash,
          strerror(ret));
    fprintf(stderr,
      "layerace stress: %s\n"
      "layerace stress: crash note: %s\n"
      "layerace stress: repro file: %s\n"
      "layerace stress: replay: %s\n",
      what, o->crash, o->repro, replay);

    __report_one(o, cmdline, "crash", what, LR_END_CRASH, t0);
}
