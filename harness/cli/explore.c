/*
 * explore.c -- `layerace explore [OPTIONS]`: many short controlled runs of one small stress
 * workload, searching interleavings (explore.h).
 *
 * Run i is an ordinary controlled stress run (lr_stress_start / lr_stress_finish with
 * cfg.sched set), configured as `layerace stress` would be from its own seed (derived from the
 * exploration's seed and i), one of the policies and one of the strategies in rotation, on a
 * fresh cluster OUT/db-SEED. Before it starts, its repro file and (as it runs) its schedule are
 * written, exactly as a stress run writes them, so that a crash leaves both; a clean run removes
 * all three. The first run that does not end clean stops the exploration (__run_failed: the one
 * place where a failing run is handled) and its repro file replays it exactly.
 */
#include <errno.h>
#include <inttypes.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/explore_int.h"
#include "common/clock.h"
#include "common/exit.h"
#include "common/fs.h"
#include "common/rng.h"
#include "cli/shrink.h"
#include "cli/stress_sched.h"
#include "trace/trace.h"

#define CMDLINE_MAX 8192

static void
__usage(FILE *fp)
{
    fprintf(fp,
      "usage: %s explore [OPTIONS]\n"
      "\n"
      "Search interleavings: many short controlled stress runs of one small workload (schema\n"
      "workers, data workers and the controller, a few operations each), each on a fresh\n"
      "cluster with its own seed, policy and strategy in rotation. The first run that finds a\n"
      "violation stops the search; its repro file and schedule are kept under --out and\n"
      "`%s replay FILE` repeats it exactly.\n"
      "\n",
      LR_PROG, LR_PROG);
    lr_knobs_usage(lr_exp_table(), fp);
    fprintf(fp,
      "\n"
      "Exit status: 0 every run clean, 1 a run found a violation (or crashed), 2 usage or\n"
      "environment error.\n");
}

static int
__usage_error(const char *what)
{
    fprintf(stderr, "%s explore: %s\n", LR_PROG, what);
    __usage(stderr);
    return (LR_EXIT_ENV);
}

/*
 * __scratch -- where the runs' databases go. Each run creates and fsyncs its WiredTiger files
 * (about 50 fdatasyncs a run): on a disk that bounds the search, on a tmpfs it costs nothing.
 * A database is never needed after its run (a replay rebuilds it), so memory is the right place.
 */
static int
__scratch(lr_exp_options *e)
{
    int ret;

    e->scratch[0] = '\0';
    if (strcmp(e->db_dir, "out") == 0)
        return (0);
    if (strcmp(e->db_dir, "auto") == 0) {
        if (lr_tmpfs_dir("layerace-explore", LR_TMPFS_MIN_FREE, e->scratch, sizeof(e->scratch)) !=
          0)
            e->scratch[0] = '\0';
        return (0);
    }
    snprintf(e->scratch, sizeof(e->scratch), "%s", e->db_dir);
    if ((ret = lr_mkdir_p(e->scratch)) != 0) {
        fprintf(stderr, "%s explore: cannot create the database directory %s: %s\n", LR_PROG,
          e->scratch, strerror(ret));
        return (LR_EXIT_ENV);
    }
    return (0);
}

/* __finish -- the seed, and the rules across knobs. */
static int
__finish(lr_exp_options *e)
{
    size_t n;
    int ret;

    if (!e->given[LR_EXP_KNOB_seed] && (ret = lr_knobs_draw_seed("explore", &e->seed)) != 0)
        return (ret);
    e->given[LR_EXP_KNOB_seed] = true;
    if (e->runs == 0 && e->duration_ms == 0)
        return (__usage_error("nothing ends the search: give --runs N > 0 or --duration SEC > 0"));
    if (e->scheds == 0)
        return (__usage_error("--sched needs at least one strategy (random, pct, pos, urw)"));
    if (e->policies == 0)
        return (__usage_error(
          "--policy needs at least one policy (reject, wait, off, upstream, boundary)"));
    {
        char msg[LR_PATH_MAX + 300];

        if (lr_vmatch_compile(&e->match_re, e->match, "--match", msg, sizeof(msg)) != 0)
            return (__usage_error(msg));
    }
    for (n = strlen(e->out); n > 1 && e->out[n - 1] == '/'; n--)
        e->out[n - 1] = '\0';
    if (e->out[0] == '\0')
        return (__usage_error("--out needs a directory"));
    return (0);
}

/* __nth_bit -- the value of the i-th set bit of mask (counting from the lowest, modulo). */
static int
__nth_bit(unsigned mask, uint64_t i)
{
    int b, nbits, want;

    nbits = __builtin_popcount(mask);
    want = (int)(i % (uint64_t)nbits);
    for (b = 0; b < 32; b++)
        if ((mask & (1u << b)) != 0 && want-- == 0)
            return (b);
    return (0);
}

/* Run i's seed: 53 bits of (seed, i)'s stream, so that JSON readers hold it exactly. */
uint64_t
lr_exp_run_seed(const lr_exp_options *e, uint64_t i)
{
    lr_rng r;

    lr_rng_init(&r, e->seed, i);
    return (lr_rand(&r) >> 11);
}

/* Policies rotate fastest, then strategies: every pair comes round. */
int
lr_exp_run_policy(const lr_exp_options *e, uint64_t i)
{
    return (__nth_bit(e->policies, i));
}

int
lr_exp_run_kind(const lr_exp_options *e, uint64_t i)
{
    return (__nth_bit(e->scheds, i / (uint64_t)__builtin_popcount(e->policies)));
}

/*
 * __run_config --
 *     Run i as a stress configuration: the knobs `layerace stress` would read, checked and
 *     completed the same way (artefact paths, schedule recording, the step estimate).
 */
static int
__run_config(const lr_exp_options *e, lr_exp_tally *t, uint64_t i, lr_options *o)
{
    int policy, ret;

    lr_options_init(o);
    policy = lr_exp_run_policy(e, i);
    o->cfg.seed = lr_exp_run_seed(e, i);
    o->given[LR_KNOB_seed] = true;
    o->cfg.threads = e->threads;
    o->cfg.data_threads = e->data_threads;
    o->cfg.ops = e->ops;
    o->cfg.duration_ms = e->run_limit_ms;
    o->cfg.liveness_ms = e->liveness_ms;
    o->cfg.policy = (lt_policy)policy;
    o->cfg.nodes = e->nodes;
    o->cfg.tables = e->tables;
    o->cfg.redeliver_pct = e->redeliver;
    o->cfg.lag_pct = e->lag;
    o->cfg.bg_pct = e->bg;
    o->cfg.faults = e->faults;
    o->cfg.sched.kind = lr_exp_run_kind(e, i);
    o->cfg.sched.depth = e->depth;
    o->cfg.quiet = true;
    snprintf(o->out, sizeof(o->out), "%s", e->out);
    snprintf(o->trace, sizeof(o->trace), "%s", e->trace);
    if ((ret = lr_options_finish(o)) != 0 || (ret = lr_stress_sched_prepare(o)) != 0)
        return (ret);
    /* Artefacts and commands keep naming OUT/db-SEED: a replay rebuilds it there. */
    if (e->scratch[0] == '\0')
        snprintf(t->dbpath, sizeof(t->dbpath), "%s", o->dbdir);
    else if (snprintf(t->dbpath, sizeof(t->dbpath), "%s/db-%" PRIu64, e->scratch, o->cfg.seed) >=
      (int)sizeof(t->dbpath)) {
        fprintf(stderr, "%s explore: --db-dir %s: the path is too long\n", LR_PROG, e->scratch);
        return (LR_EXIT_ENV);
    }
    o->cfg.dir = t->dbpath;
    if (access(t->dbpath, F_OK) == 0 || errno != ENOENT) {
        fprintf(stderr,
          "%s explore: %s exists (an earlier search with seed %" PRIu64 " left it): remove it or "
          "give another --out or --seed\n",
          LR_PROG, t->dbpath, e->seed);
        return (LR_EXIT_ENV);
    }
    return (lr_options_save(o));
}

/* __tally_run -- n and k from the scheduler's summary line ("pct, n 4 threads, k 85 ..."). */
static void
__tally_run(lr_exp_tally *t, const lr_options *o, const lr_result *res)
{
    const char *p;
    unsigned long long k, choices;
    int n;

    t->runs++;
    t->by_kind[o->cfg.sched.kind]++;
    t->by_policy[o->cfg.policy]++;
    t->ops_sum += res->c.ops;
    if (res->c.ops < o->cfg.ops)
        t->limited++;
    if ((p = strstr(res->sched, ", n ")) != NULL &&
      sscanf(p, ", n %d threads, k %llu scheduling points (%llu", &n, &k, &choices) == 3) {
        t->n = n;
        t->k_sum += k;
        t->choices_sum += choices;
        if (k > t->k_max)
            t->k_max = k;
    }
}

/* __remove -- a clean run's artefacts: its database, schedule and repro file. */
static int
__remove(const lr_options *o)
{
    int ret;

    if ((ret = lr_rm_rf(o->cfg.dir)) != 0) {
        fprintf(stderr, "%s explore: cannot remove %s: %s\n", LR_PROG, o->cfg.dir, strerror(ret));
        return (LR_EXIT_ENV);
    }
    (void)unlink(o->schedule);
    (void)unlink(o->repro);
    return (0);
}

/*
 * __run_failed --
 *     The one place where a failing run is handled: its database, repro file and schedule stay,
 *     and the tally keeps its configuration, result and replay command. A shrinker or a trace
 *     writer starts from here (o and res describe the run completely).
 */
static void
__run_failed(lr_exp_tally *t, uint64_t i, int rc, lr_options *o, lr_result *res)
{
    t->found = true;
    t->found_rc = rc;
    t->found_run = i;
    t->fo = o;
    t->fres = res;
    lr_report_replay_cmd(o, true, t->replay, sizeof(t->replay));
}

/* __matches -- the first violation of res that --match asks for, -1 if none. */
static int
__matches(const lr_exp_options *e, const lr_result *res)
{
    int i;

    if (!e->match_re.set)
        return (0);
    for (i = 0; i < res->nviolations && i < LR_VIOL_MAX; i++)
        if (lr_vmatch_line(&e->match_re, res->v[i].invariant, res->v[i].what))
            return (i);
    return (-1);
}

/*
 * __run_one --
 *     Run i from start to end. Returns 0 (clean: its artefacts removed), 1 (it failed: handed to
 *     __run_failed, which keeps o and res) or LR_EXIT_ENV after a message.
 */
static int
__run_one(const lr_exp_options *e, lr_exp_tally *t, uint64_t i, lr_options *o, lr_result *res)
{
    char cmdline[CMDLINE_MAX], replay[CMDLINE_MAX];
    lr_run *run;
    int ret, rc;

    if ((ret = __run_config(e, t, i, o)) != 0)
        return (ret);
    memset(res, 0, sizeof(*res));
    lr_options_cmdline(o, cmdline, sizeof(cmdline));
    lr_report_replay_cmd(o, true, replay, sizeof(replay));
    lr_sig_arm(o, cmdline, replay, false);

    if ((ret = lr_run_trace_open(o)) != 0) {
        lr_sig_disarm();
        return (ret);
    }
    /* The run's threads inherit the mask: stop signals reach this thread. */
    lr_sig_block_stops(true);
    ret = lr_stress_start(&o->cfg, &run);
    lr_sig_block_stops(false);
    if (ret != 0) {
        lr_trace_close();
        fprintf(stderr, "%s explore: run %" PRIu64 " did not start: %s\n", LR_PROG, i,
          lr_stress_error());
        lr_sig_disarm();
        return (LR_EXIT_ENV);
    }
    lr_sig_set_run(run);
    /* A controlled run ends on its own after --ops; a short poll keeps runs back to back. */
    while (!lr_stress_done(run) && lr_sig_stop_requested() == 0)
        lr_sleep_ms(1);
    lr_sig_set_run(NULL);
    rc = lr_stress_finish(run, res);
    lr_sig_disarm();
    t->stop_signal = lr_sig_stop_requested();
    __tally_run(t, o, res);
    t->found_v = 0;
    if (rc == 1 && (t->found_v = __matches(e, res)) < 0) {
        t->unmatched++;
        rc = 0;
    }
    if (rc == 0 || e->trace[0] == '\0')
        o->trace[0] = '\0'; /* a clean run's trace is not written */
    if ((ret = lr_run_trace_close(o, res, rc != 0)) != 0)
        return (ret);
    /* Each run's threads leave free memory in their malloc arenas: give it back, so that the
     * search's footprint stays flat over thousands of runs. */
    (void)malloc_trim(0);
    if (rc == 0)
        return (__remove(o));
    if (rc == 2 && res->nviolations == 0) {
        fprintf(stderr, "%s explore: run %" PRIu64 " (seed %" PRIu64 ") failed: %s\n", LR_PROG, i,
          o->cfg.seed, res->error);
        fprintf(stderr, "%s explore: its repro file: %s\n", LR_PROG, o->repro);
    }
    __run_failed(t, i, rc, o, res);
    return (rc == 1 ? LR_EXIT_FOUND : LR_EXIT_ENV);
}

/* __explore -- the loop: runs until one fails, the runs or the time are used up, or a signal. */
static int
__explore(const lr_exp_options *e, lr_exp_tally *t)
{
    lr_options *o;
    lr_result *res;
    double t0, last;
    bool progress;
    uint64_t i;
    int ret;

    o = malloc(sizeof(*o));
    res = malloc(sizeof(*res));
    if (o == NULL || res == NULL) {
        free(o);
        free(res);
        fprintf(stderr, "%s explore: out of memory\n", LR_PROG);
        return (LR_EXIT_ENV);
    }
    progress = !e->quiet && isatty(STDOUT_FILENO);
    t0 = last = lr_now_s();
    ret = 0;
    for (i = 0; e->runs == 0 || i < e->runs; i++) {
        if (e->duration_ms != 0 && (lr_now_s() - t0) * 1000.0 >= (double)e->duration_ms)
            break;
        ret = __run_one(e, t, i, o, res);
        t->elapsed_s = lr_now_s() - t0;
        if (ret != 0 || t->stop_signal != 0)
            break;
        if (progress && t->elapsed_s - last >= 1.0) {
            lr_exp_progress(e, t);
            last = t->elapsed_s;
        }
    }
    if (progress) {
        printf("\r\033[K");
        fflush(stdout);
    }
    if (!t->found) { /* __run_failed keeps them otherwise */
        free(o);
        free(res);
    }
    return (ret);
}

int
lr_explore_main(int argc, char **argv)
{
    lr_exp_options *e;
    lr_exp_tally *t;
    char cmdline[CMDLINE_MAX];
    int ret;

    e = malloc(sizeof(*e));
    t = calloc(1, sizeof(*t));
    if (e == NULL || t == NULL) {
        fprintf(stderr, "%s explore: out of memory\n", LR_PROG);
        free(e);
        free(t);
        return (LR_EXIT_ENV);
    }
    memset(e, 0, sizeof(*e));
    lr_knobs_init(lr_exp_table(), e);
    ret = lr_knobs_parse(lr_exp_table(), e, argc, argv, NULL, __usage);
    if (ret < 0) {
        ret = 0; /* --help */
        goto done;
    }
    if (ret != 0 || (ret = __finish(e)) != 0)
        goto done;
    lr_knobs_cmdline(lr_exp_table(), e, cmdline, sizeof(cmdline));
    printf("%s\n", cmdline);
    fflush(stdout);
    if ((ret = lr_mkdir_p(e->out)) != 0) {
        fprintf(stderr, "%s explore: cannot create --out %s: %s\n", LR_PROG, e->out, strerror(ret));
        ret = LR_EXIT_ENV;
        goto done;
    }
    if ((ret = __scratch(e)) != 0)
        goto done;
    ret = __explore(e, t);
    t->env_error = ret == LR_EXIT_ENV && !t->found;
    /* The tmpfs is memory: a failing run's database goes too (its replay rebuilds it). */
    if (e->scratch[0] != '\0' && strcmp(e->db_dir, "auto") == 0)
        (void)lr_rm_rf(e->scratch);
    lr_exp_summary(stdout, e, t);
    fflush(stdout);
    if (ret == LR_EXIT_FOUND && t->found && e->shrink &&
      lr_shrink(t->fo, t->fres, t->found_v) == LR_EXIT_ENV)
        ret = LR_EXIT_ENV;
    if (e->json[0] != '\0' && lr_exp_json(e, t, cmdline, ret) != 0 && ret == 0)
        ret = LR_EXIT_ENV;
done:
    if (t->found) {
        free(t->fo);
        free(t->fres);
    }
    free(t);
    lr_vmatch_free(&e->match_re);
    free(e);
    return (ret);
}
