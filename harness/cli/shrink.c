/*
 * shrink.c -- shrinking a failing controlled stress run (shrink.h).
 *
 * The best run so far is a configuration (with --thread-ops: each thread's loop rounds) and its
 * recorded schedule, whose lines are marked p (a preemption), s (the running thread went on) or
 * f (it could not). A candidate is a guided replay of the best one's schedule (lr_sched_config
 * .guide: the p and f lines by step, otherwise the running thread goes on) with one change:
 *   1. one p line left out: the preempted thread goes on instead;
 *   2. one thread's rounds lowered (halved, then by one);
 *   3. one thread's rounds set to 0: the thread does nothing.
 * A candidate is kept when the same violation occurs (the invariant and the text with every
 * number left out: "I#: drop of table t# on node # took effect during the node's step-up
 * (generation #)") and it is smaller: fewer threads, else fewer operations, else fewer
 * preemptions; its own recorded schedule is the next guide. The passes repeat until none keeps a
 * candidate: then no single preemption, operation or thread can be taken away (1-minimal), unless
 * the limits (LR_SHRINK_RUNS runs, LR_SHRINK_SECONDS) stopped it first, which the report says. The
 * candidates run in this process, one after another, in OUT/shrunk-SEED/.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/shrink.h"
#include "common/clock.h"
#include "common/exit.h"
#include "common/fs.h"
#include "trace/trace.h"

#define LR_SHRINK_RUNS 400
#define LR_SHRINK_SECONDS 240.0

typedef struct {
    lr_options o;            /* configuration: cfg.thread_ops are the rounds */
    char sched[LR_PATH_MAX]; /* its recorded schedule */
    uint64_t preempts, steps;
    int threads;  /* threads with a round */
    uint64_t ops; /* rounds, summed */
} __cand;

typedef struct {
    char dir[LR_PATH_MAX]; /* OUT/shrunk-SEED */
    char sig[600];         /* the violation's signature */
    int runs;
    double t0;
    __cand best, c;
    lr_result res;
} __shrink;

/* lr_violation_signature -- "INV: what" with every run of digits as one '#'. */
void
lr_violation_signature(const lr_violation *v, char *buf, size_t len)
{
    char raw[600];
    size_t i, n = 0;

    snprintf(raw, sizeof(raw), "%s: %s", v->invariant, v->what);
    for (i = 0; raw[i] != '\0' && n + 1 < len; i++) {
        if (raw[i] >= '0' && raw[i] <= '9') {
            if (n == 0 || buf[n - 1] != '#')
                buf[n++] = '#';
            continue;
        }
        buf[n++] = raw[i];
    }
    buf[n] = '\0';
}

static bool
__reproduced(const __shrink *sh, const lr_result *res)
{
    char sig[600];
    int i;

    for (i = 0; i < res->nviolations && i < LR_VIOL_MAX; i++) {
        lr_violation_signature(&res->v[i], sig, sizeof(sig));
        if (strcmp(sig, sh->sig) == 0)
            return (true);
    }
    return (false);
}

/* __path -- buf = DIR/NAME. */
static int
__path(char *buf, const char *dir, const char *name)
{
    int n = snprintf(buf, LR_PATH_MAX, "%s/%s", dir, name);

    if (n < 0 || n >= LR_PATH_MAX) {
        fprintf(stderr, "%s shrink: %s: the path is too long\n", LR_PROG, dir);
        return (LR_EXIT_ENV);
    }
    return (0);
}

/* __guide -- write src's lines to dst, leaving out s lines and the p lines numbered [skip,
 * skip + len) (0-based); *np: the p lines in src. */
static int
__guide(const char *src, const char *dst, int skip, int len, int *np)
{
    char line[256], mark[4];
    FILE *in, *out;
    int p = 0;

    if ((in = fopen(src, "r")) == NULL)
        return (errno);
    if ((out = fopen(dst, "w")) == NULL) {
        fclose(in);
        return (errno);
    }
    while (fgets(line, sizeof(line), in) != NULL) {
        mark[0] = '\0';
        if (line[0] != '#' && strncmp(line, "end ", 4) != 0)
            (void)sscanf(line, "%*s %*s %*s %*s %*s %3s", mark);
        if (mark[0] == 's')
            continue;
        if (mark[0] == 'p' && p++ >= skip && p - 1 < skip + len)
            continue;
        fputs(line, out);
    }
    fclose(in);
    *np = p;
    return (fclose(out) != 0 ? errno : 0);
}

/* __measure -- threads with a round and the rounds of a configuration. */
static void
__measure(__cand *c)
{
    int i;

    c->threads = 0;
    c->ops = 0;
    for (i = 0; i < c->o.cfg.nthread_ops; i++) {
        c->threads += c->o.cfg.thread_ops[i] > 0;
        c->ops += c->o.cfg.thread_ops[i];
    }
}

/*
 * __run --
 *     Run sh->c guided by the schedule guide (strict: replay it exactly), in sh->dir. Returns 0
 *     (sh->res holds the result; sh->c the rounds, preemptions and steps), or LR_EXIT_ENV.
 */
static int
__run(__shrink *sh, const char *guide, bool strict, const char *record)
{
    lr_options *o = &sh->c.o;
    const char *p;
    unsigned long long k, ch, pre;
    uint32_t rounds[LR_THREAD_OPS_MAX];
    lr_run *run;
    int n, rc, ret;

    if ((ret = __path(o->dbdir, sh->dir, "db")) != 0)
        return (ret);
    (void)lr_rm_rf(o->dbdir);
    o->cfg.dir = o->dbdir;
    o->cfg.quiet = true;
    o->cfg.sched.replay = guide;
    o->cfg.sched.guide = !strict;
    o->cfg.sched.record = record;
    o->cfg.sched.estimate = NULL;
    o->cfg.sched.estimate_write = false;
    o->cfg.sched.keep = NULL;
    o->cfg.sched.ref = NULL;
    if ((ret = lr_run_trace_open(o)) != 0)
        return (ret);
    memset(&sh->res, 0, sizeof(sh->res));
    sh->runs++;
    if (lr_stress_start(&o->cfg, &run) != 0) {
        fprintf(stderr, "%s shrink: a run did not start: %s\n", LR_PROG, lr_stress_error());
        lr_trace_close();
        return (LR_EXIT_ENV);
    }
    while (!lr_stress_done(run))
        lr_sleep_ms(1);
    rc = lr_stress_finish(run, &sh->res);
    n = lr_trace_rounds(rounds, LR_THREAD_OPS_MAX);
    if (!strict)
        lr_trace_close();
    if (rc == 2 && sh->res.nviolations == 0) {
        fprintf(stderr, "%s shrink: a run failed: %s\n", LR_PROG, sh->res.error);
        lr_trace_close();
        return (LR_EXIT_ENV);
    }
    if (o->cfg.nthread_ops == 0)
        lr_options_set_thread_ops(o, rounds, n);
    else
        lr_options_set_thread_ops(o, o->cfg.thread_ops, o->cfg.nthread_ops);
    sh->c.preempts = sh->c.steps = 0;
    if ((p = strstr(sh->res.sched, ", k ")) != NULL &&
      sscanf(p, ", k %llu scheduling points (%llu choices, %llu preemptions", &k, &ch, &pre) == 3) {
        sh->c.steps = k;
        sh->c.preempts = pre;
    }
    __measure(&sh->c);
    (void)lr_rm_rf(o->dbdir);
    return (0);
}

/* __try -- run candidate sh->c guided by guide; keep it if it is smaller and still fails. */
static int __try(__shrink *sh, const char *guide, bool *kept)
{
    char rec[LR_PATH_MAX];
    int ret;

    *kept = false;
    if ((ret = __path(rec, sh->dir, "candidate.txt")) != 0 ||
      (ret = __run(sh, guide, false, rec)) != 0)
        return (ret);
    /* Smaller: fewer threads, else fewer operations, else fewer preemptions (an order with no
     * infinite descent, so the passes end). */
    if (!__reproduced(sh, &sh->res) ||
      (sh->c.threads != sh->best.threads ? sh->c.threads > sh->best.threads :
          sh->c.ops != sh->best.ops      ? sh->c.ops > sh->best.ops :
                                           sh->c.preempts >= sh->best.preempts))
        return (0);
    if (rename(rec, sh->best.sched) != 0) {
        fprintf(stderr, "%s shrink: cannot keep %s: %s\n", LR_PROG, rec, strerror(errno));
        return (LR_EXIT_ENV);
    }
    snprintf(sh->c.sched, sizeof(sh->c.sched), "%s", sh->best.sched);
    sh->best = sh->c;
    *kept = true;
    return (0);
}

static bool
__limited(const __shrink *sh)
{
    return (sh->runs >= LR_SHRINK_RUNS || lr_now_s() - sh->t0 >= LR_SHRINK_SECONDS);
}

/*
 * __pass --
 *     One pass of the three kinds of change. With more than 128 preemptions, the first pass
 *     takes them away in chunks of at least a sixteenth only, so that a long run loses
 *     operations and threads before its preemptions are tried one by one (each a run). Returns
 *     0 or LR_EXIT_ENV; *changed.
 */
static int
__pass(__shrink *sh, bool first, bool *changed)
{
    char guide[LR_PATH_MAX];
    uint32_t was;
    bool kept;
    int i, len, minlen, np, ret, step;

    *changed = false;
    if ((ret = __path(guide, sh->dir, "guide.txt")) != 0)
        return (ret);
    /* 1. preemptions: chunks of half of them, then of a quarter, ..., then one at a time (the
     * last first), as delta debugging does; a chunk taken away is not tried again. */
    if (__guide(sh->best.sched, guide, 0, 0, &np) != 0)
        return (LR_EXIT_ENV);
    minlen = first && np > 128 ? np / 16 : 1;
    for (len = np / 2 > 0 ? np / 2 : 1; len >= minlen && !__limited(sh); len /= 2)
        for (i = np - len; i >= 0 && !__limited(sh); i -= len) {
            sh->c = sh->best;
            if (__guide(sh->best.sched, guide, i, len, &np) != 0 ||
              (ret = __try(sh, guide, &kept)) != 0)
                return (LR_EXIT_ENV);
            if (kept) {
                *changed = true;
                (void)__guide(sh->best.sched, guide, 0, 0, &np); /* the lines before i stay */
            }
        }
    if (__guide(sh->best.sched, guide, 0, 0, &np) != 0)
        return (LR_EXIT_ENV);
    for (i = 0; i < sh->best.o.cfg.nthread_ops && !__limited(sh); i++) /* 2. rounds */
        for (step = 0; sh->best.o.cfg.thread_ops[i] > 1 && !__limited(sh);) {
            sh->c = sh->best;
            was = sh->c.o.cfg.thread_ops[i];
            sh->c.o.cfg.thread_ops[i] = step == 0 ? was / 2 : was - 1;
            if ((ret = __try(sh, guide, &kept)) != 0)
                return (ret);
            if (kept) {
                *changed = true;
                (void)__guide(sh->best.sched, guide, 0, 0, &np);
            } else if (step++ > 0)
                break;
        }
    for (i = 0; i < sh->best.o.cfg.nthread_ops && !__limited(sh); i++) { /* 3. threads */
        if (sh->best.o.cfg.thread_ops[i] == 0)
            continue;
        sh->c = sh->best;
        sh->c.o.cfg.thread_ops[i] = 0;
        if ((ret = __try(sh, guide, &kept)) != 0)
            return (ret);
        if (kept) {
            *changed = true;
            (void)__guide(sh->best.sched, guide, 0, 0, &np);
        }
    }
    return (0);
}

/* __finish -- write the shrunk repro, replay it exactly with the trace on, print the swimlane. */
static int
__finish(__shrink *sh, const __cand *first, bool limited)
{
    lr_options *o = &sh->c.o;
    char sched[LR_PATH_MAX], db[LR_PATH_MAX];
    int ret;

    sh->c = sh->best;
    snprintf(o->out, sizeof(o->out), "%s", sh->dir);
    o->trace[0] = '\0';
    o->given[LR_KNOB_out] = true;
    if ((ret = lr_options_finish(o)) != 0)
        return (ret);
    if ((ret = __path(sched, sh->dir, "schedule.txt")) != 0)
        return (ret);
    if (rename(sh->best.sched, sched) != 0) {
        fprintf(stderr, "%s shrink: cannot write %s: %s\n", LR_PROG, sched, strerror(errno));
        return (LR_EXIT_ENV);
    }
    snprintf(o->schedule, sizeof(o->schedule), "%s", sched);
    o->given[LR_KNOB_schedule] = true;
    if ((ret = lr_options_save(o)) != 0)
        return (ret);
    printf("shrunk: %d threads, %" PRIu64 " ops, %" PRIu64 " preemptions -> %d threads, %" PRIu64
           " ops, %" PRIu64 " preemption%s in %.1f s (%d runs%s)\n",
      first->threads, first->ops, first->preempts, sh->best.threads, sh->best.ops,
      sh->best.preempts, sh->best.preempts == 1 ? "" : "s", lr_now_s() - sh->t0, sh->runs,
      limited ? "; stopped at the limit: not 1-minimal" : "; 1-minimal");
    snprintf(db, sizeof(db), "%s", o->dbdir);
    if ((ret = __run(sh, sched, true, NULL)) != 0)
        return (ret);
    if (!__reproduced(sh, &sh->res)) {
        lr_trace_close();
        fprintf(stderr, "%s shrink: the shrunk repro %s did not replay to the violation\n", LR_PROG,
          o->repro);
        return (LR_EXIT_ENV);
    }
    printf("shrunk run: %" PRIu64 " steps, the violation: %s: %s\n", sh->c.steps,
      sh->res.v[0].invariant, sh->res.v[0].what);
    lr_trace_swimlane(stdout);
    ret = lr_run_trace_close(o, &sh->res, true);
    printf("shrunk repro: %s; replay: rm -rf %s && %s replay %s\n", o->repro, db, LR_PROG,
      o->repro);
    fflush(stdout);
    return (ret);
}

int
lr_shrink(const lr_options *o, const lr_result *res, int vi)
{
    __shrink *sh;
    __cand first;
    bool changed, limited;
    int n, pass, ret;

    if (o->cfg.sched.kind == LR_SCHED_FREE || vi < 0 || vi >= res->nviolations || vi >= LR_VIOL_MAX)
        return (0);
    if ((sh = calloc(1, sizeof(*sh))) == NULL)
        return (LR_EXIT_ENV);
    sh->t0 = lr_now_s();
    lr_violation_signature(&res->v[vi], sh->sig, sizeof(sh->sig));
    n = snprintf(sh->dir, sizeof(sh->dir), "%s/shrunk-%" PRIu64, o->out, o->cfg.seed);
    if (n < 0 || n >= (int)sizeof(sh->dir) - 64 || (ret = lr_rm_rf(sh->dir)) != 0 ||
      (ret = lr_mkdir_p(sh->dir)) != 0) {
        fprintf(stderr, "%s shrink: cannot make %s\n", LR_PROG, sh->dir);
        free(sh);
        return (LR_EXIT_ENV);
    }
    printf("shrinking: keeping \"%s\"\n", sh->sig);
    fflush(stdout);
    sh->c.o = *o;
    sh->c.o.trace[0] = '\0';
    if ((ret = __path(sh->best.sched, sh->dir, "best.txt")) != 0 ||
      (ret = __run(sh, o->schedule, false, sh->best.sched)) != 0)
        goto done;
    if (!__reproduced(sh, &sh->res)) {
        printf("shrinking: the run does not fail the same way when guided by its schedule: not "
               "shrunk\n");
        ret = 1;
        goto done;
    }
    snprintf(sh->c.sched, sizeof(sh->c.sched), "%s", sh->best.sched);
    sh->best = sh->c;
    first = sh->best;
    for (pass = 0;; pass++) {
        ret = __pass(sh, pass == 0, &changed);
        if (ret != 0 || __limited(sh) || (!changed && pass > 0))
            break;
    }
    limited = __limited(sh);
    if (ret == 0)
        ret = __finish(sh, &first, limited);
done:
    free(sh);
    return (ret);
}
