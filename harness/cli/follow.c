/*
 * follow.c -- from a failing free run to an exact controlled repro (follow.h).
 *
 * The controlled run takes the free run's seed and knobs, with --sched follow --follow ORDER,
 * an operation budget a quarter above the free run's operations and no time limit (virtual time
 * would end it at another point). Its schedule is recorded like any controlled run's, so that
 * when it fails the same way its repro file (OUT/follow-SEED/repro-SEED.conf) replays it exactly
 * with `layerace replay` and can be shrunk with `layerace shrink`. The attempts (three orders)
 * run one after another in this process; each starts from a fresh OUT/follow-SEED. A followed
 * run reproduces the free run when it has one of the free run's own violations that --stop-on
 * matches (all of them without it), compared by signature (shrink.h): the one the free run
 * stopped at first; one defect often shows in two ways (a stranded transaction commits as a
 * follower, or as a leader again), and the free run, which went on to its end, had both.
 */
#include <errno.h>
#include <inttypes.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "cli/follow.h"
#include "cli/shrink.h"
#include "cli/stress_sched.h"
#include "common/clock.h"
#include "common/exit.h"
#include "common/fs.h"

/* The orders tried, in turn (lr_sched_config.follow_by). */
static const char *const __by[LR_FOLLOW_BY_COUNT] = {"next", "current", "middle"};

/* The free run's violations a followed run may reproduce: their signatures, the first first. */
typedef struct {
    char sig[LR_VIOL_MAX][600];
    int n;
} __targets;

/* __same -- the index in tg of a signature res has (the lowest), or -1. */
static int
__same(const lr_result *res, const __targets *tg)
{
    char s[600];
    int i, j, best = -1;

    for (i = 0; i < res->nviolations && i < LR_VIOL_MAX; i++) {
        lr_violation_signature(&res->v[i], s, sizeof(s));
        for (j = 0; j < tg->n; j++)
            if (strcmp(s, tg->sig[j]) == 0 && (best < 0 || j < best))
                best = j;
    }
    return (best);
}

/* __targets_of -- the free run's violations that --stop-on matches (every one without it), in
 * order, each signature once. */
static void
__targets_of(const lr_options *o, const lr_result *res, __targets *tg)
{
    char line[600], s[600];
    regex_t re;
    int i, j;
    bool filter;

    filter = o->stop_on[0] != '\0' && regcomp(&re, o->stop_on, REG_EXTENDED | REG_NOSUB) == 0;
    tg->n = 0;
    for (i = 0; i < res->nviolations && i < LR_VIOL_MAX; i++) {
        snprintf(line, sizeof(line), "%s: %s", res->v[i].invariant, res->v[i].what);
        if (filter && regexec(&re, line, 0, NULL, 0) != 0)
            continue;
        lr_violation_signature(&res->v[i], s, sizeof(s));
        for (j = 0; j < tg->n && strcmp(tg->sig[j], s) != 0; j++)
            ;
        if (j == tg->n)
            snprintf(tg->sig[tg->n++], sizeof(tg->sig[0]), "%s", s);
    }
    if (filter)
        regfree(&re);
    if (tg->n == 0) /* none matched (a crash's note, say): the first */
        lr_violation_signature(&res->v[0], tg->sig[tg->n++], sizeof(tg->sig[0]));
}

/* __configure -- c: o's configuration under --sched follow in OUT/follow-SEED. */
static int
__configure(lr_options *c, const lr_options *o, const lr_result *res)
{
    int n, ret;

    *c = *o;
    c->cfg.sched.kind = LR_SCHED_FOLLOW;
    c->given[LR_KNOB_sched] = true;
    snprintf(c->follow, sizeof(c->follow), "%s", o->order);
    c->given[LR_KNOB_follow] = true;
    c->cfg.ops = res->c.ops + res->c.ops / 4 + 16;
    c->given[LR_KNOB_ops] = true;
    c->cfg.duration_ms = 0;
    c->given[LR_KNOB_duration] = true;
    n = snprintf(c->out, sizeof(c->out), "%s/follow-%" PRIu64, o->out, o->cfg.seed);
    if (n < 0 || n >= (int)sizeof(c->out) - 64) {
        fprintf(stderr, "%s stress: --out %s: the path is too long\n", LR_PROG, o->out);
        return (LR_EXIT_ENV);
    }
    c->given[LR_KNOB_out] = true;
    c->schedule[0] = '\0';
    c->given[LR_KNOB_schedule] = false;
    c->trace[0] = c->json[0] = '\0';
    c->check_determinism = c->fork = c->keep = false;
    c->cfg.quiet = true;
    if ((ret = lr_options_finish(c)) != 0 || (ret = lr_stress_sched_prepare(c)) != 0)
        return (ret);
    if ((ret = lr_rm_rf(c->out)) != 0 || (ret = lr_mkdir_p(c->out)) != 0) {
        fprintf(stderr, "%s stress: cannot make %s: %s\n", LR_PROG, c->out, strerror(ret));
        return (LR_EXIT_ENV);
    }
    return (lr_options_save(c));
}

/* __why -- one line: why the followed run did not reproduce (the first divergence first). */
static void
__why(const lr_result *r, char *buf, size_t len)
{
    const char *d = strstr(r->sched, "diverged at step "), *t;
    int dl = 0, n;

    if (d != NULL)
        dl = (int)((t = strstr(d, ", trace ")) != NULL ? (size_t)(t - d) : strlen(d));
    n = d != NULL ? snprintf(buf, len, "%.*s", dl, d) : snprintf(buf, len, "no divergence");
    if (n < 0 || (size_t)n >= len)
        return;
    if (r->nviolations == 0)
        snprintf(buf + n, len - (size_t)n, "; then ran clean");
    else
        snprintf(buf + n, len - (size_t)n, "; then failed another way (%s: %.200s)",
          r->v[0].invariant, r->v[0].what);
}

int
lr_follow(const lr_options *o, const lr_result *res)
{
    char why[700];
    __targets *tg;
    lr_options *c;
    lr_result *r;
    lr_run *run;
    double t0 = lr_now_s();
    int attempt, rc, ret, hit;

    if (res->nviolations == 0 || !res->order_written)
        return (1);
    if (o->cfg.restart_every_ms != 0 || o->cfg.crash_every_ms != 0) {
        /* The restarter's and the killer's timing is wall-clock: a controlled run cannot have it.
         */
        printf("follow: not attempted: a run with --%s-every runs only free\n",
          o->cfg.restart_every_ms != 0 ? "restart" : "crash");
        return (1);
    }
    c = malloc(sizeof(*c));
    r = calloc(1, sizeof(*r));
    tg = malloc(sizeof(*tg));
    if (c == NULL || r == NULL || tg == NULL) {
        free(c);
        free(r);
        free(tg);
        return (LR_EXIT_ENV);
    }
    __targets_of(o, res, tg);
    printf("follow: running the free run's order (%s, %" PRIu64 " items%s) under --sched follow, "
           "keeping \"%s\"",
      o->order, res->order_items, res->order_lost != 0 ? ", some lost to the bound" : "",
      tg->sig[0]);
    if (tg->n > 1)
        printf(" or another of the run's %d kinds of violation", tg->n - 1);
    printf("\n");
    fflush(stdout);
    for (attempt = 0; attempt < LR_FOLLOW_BY_COUNT; attempt++) {
        if ((ret = __configure(c, o, res)) != 0)
            goto done;
        c->cfg.sched.follow_by = attempt;
        if (lr_stress_start(&c->cfg, &run) != 0) {
            fprintf(stderr, "%s stress: the followed run did not start: %s\n", LR_PROG,
              lr_stress_error());
            ret = LR_EXIT_ENV;
            goto done;
        }
        while (!lr_stress_done(run))
            lr_sleep_ms(1);
        memset(r, 0, sizeof(*r));
        rc = lr_stress_finish(run, r);
        if (rc == LR_EXIT_ENV && r->nviolations == 0) {
            fprintf(stderr, "%s stress: the followed run failed: %s\n", LR_PROG, r->error);
            ret = LR_EXIT_ENV;
            goto done;
        }
        (void)lr_rm_rf(c->dbdir); /* a replay makes it again */
        printf("follow: by %s points: %s (%.1f s)\n", __by[attempt], r->sched, lr_now_s() - t0);
        if ((hit = __same(r, tg)) >= 0) {
            if (hit > 0)
                printf("follow: the followed run has another of the free run's violations: "
                       "\"%s\"\n",
                  tg->sig[hit]);
            printf("follow: reproduced under the controlled scheduler: repro %s; replay: %s "
                   "replay %s; shrink: %s shrink %s\n",
              c->repro, LR_PROG, c->repro, LR_PROG, c->repro);
            ret = 0;
            goto done;
        }
        __why(r, why, sizeof(why));
        printf("follow: not reproduced by %s points%s: %s\n", __by[attempt],
          attempt + 1 < LR_FOLLOW_BY_COUNT ? "" : " (nor by the others)", why);
        ret = 1;
    }
done:
    fflush(stdout);
    free(c);
    free(r);
    free(tg);
    return (ret);
}
