/*
 * stress_sched.c -- the stress command's side of the controlled scheduler (stress_sched.h).
 */
#define _GNU_SOURCE /* nftw */
#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/stress_sched.h"
#include "common/clock.h"
#include "common/exit.h"
#include "common/fs.h"
#include "common/hash.h"

/* PCT's k before any run of a configuration: about this many scheduling points per operation. */
#define LR_STEPS_PER_OP_GUESS 10

/* __path -- buf = DIR/NAME-V.txt, V in decimal or (hex) 16 hex digits. */
static int
__path(char *buf, const char *dir, const char *name, uint64_t v, bool hex)
{
    int n;

    n = hex ? snprintf(buf, LR_PATH_MAX, "%s/%s-%016" PRIx64 ".txt", dir, name, v) :
              snprintf(buf, LR_PATH_MAX, "%s/%s-%" PRIu64 ".txt", dir, name, v);
    if (n < 0 || n >= LR_PATH_MAX) {
        fprintf(stderr, "layerace stress: --out %s: the path is too long\n", dir);
        return (LR_EXIT_ENV);
    }
    return (0);
}

/* __config_key -- what decides a controlled run's steps besides the seed, hashed. */
static uint64_t
__config_key(const lr_config *c)
{
    char buf[256];
    snprintf(buf, sizeof(buf), "%d %d %" PRIu64 " %d %d %d %u", c->threads, c->data_threads, c->ops,
      (int)c->policy, c->nodes, c->tables, c->faults);
    return (lr_hash_str(buf));
}

static int __usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int
__usage_error(const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "layerace stress: ");
    va_start(ap, fmt);
    (void)vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n");
    lr_options_usage(stderr);
    return (LR_EXIT_ENV);
}

int
lr_stress_sched_prepare(lr_options *o)
{
    lr_sched_config *sc = &o->cfg.sched;
    int ret;

    if (sc->kind == LR_SCHED_FREE) {
        o->cfg.order_out = NULL;
        if (o->record_order && !o->check_determinism) {
            if ((ret = __path(o->order, o->out, "order", o->cfg.seed, false)) != 0)
                return (ret);
            o->cfg.order_out = o->order;
        }
        if (o->follow[0] != '\0')
            return (__usage_error("--follow %s needs --sched follow", o->follow));
        if (o->schedule[0] != '\0')
            return (__usage_error("--schedule %s needs a controlled --sched (random, pct, pos or "
                                  "urw)",
              o->schedule));
        if (o->check_determinism)
            return (__usage_error("--check-determinism needs a controlled --sched (random, pct, "
                                  "pos or urw)"));
        return (0);
    }
    if (o->cfg.ops == 0)
        return (__usage_error("--sched %s runs a bounded number of operations: give --ops N",
          lr_sched_kind_name(sc->kind)));
    o->cfg.order_out = NULL;
    sc->follow = o->follow[0] != '\0' ? o->follow : NULL;
    if (sc->kind == LR_SCHED_FOLLOW && sc->follow == NULL && o->schedule[0] == '\0')
        return (__usage_error("--sched follow needs --follow FILE (the order a failing free run "
                              "recorded) or --schedule FILE"));
    if ((ret = __path(o->sched_steps, o->out, "steps", __config_key(&o->cfg), true)) != 0)
        return (ret);
    sc->estimate = o->sched_steps;
    sc->estimate_write = true;
    sc->k_guess = o->cfg.ops * LR_STEPS_PER_OP_GUESS;
    if (o->given[LR_KNOB_schedule] && o->schedule[0] != '\0') {
        sc->replay = o->schedule;
        sc->record = NULL;
        return (0);
    }
    if ((ret = __path(o->schedule, o->out, "schedule", o->cfg.seed, false)) != 0)
        return (ret);
    sc->replay = NULL;
    sc->record = o->schedule;
    return (0);
}

int
lr_stress_sched_first(const lr_options *o, lr_sched_trace **tracep)
{
    lr_sched_trace *t;
    lr_result *res;
    lr_config cfg;
    lr_run *run;
    int rc;

    *tracep = NULL;
    t = lr_sched_trace_new();
    res = calloc(1, sizeof(*res));
    if (t == NULL || res == NULL) {
        fprintf(stderr, "layerace stress: out of memory\n");
        lr_sched_trace_free(t);
        free(res);
        return (LR_EXIT_ENV);
    }
    cfg = o->cfg;
    cfg.sched.keep = t;
    cfg.sched.estimate_write = false; /* the second run must read the same estimate */
    if (lr_stress_start(&cfg, &run) != 0) {
        fprintf(stderr, "layerace stress: the first run did not start: %s\n", lr_stress_error());
        lr_sched_trace_free(t);
        free(res);
        return (LR_EXIT_ENV);
    }
    while (!lr_stress_done(run))
        lr_sleep_ms(10);
    rc = lr_stress_finish(run, res);
    printf("determinism check: first run: %s; %s", res->sched,
      rc == 0   ? "clean" :
        rc == 1 ? "violations " :
                  "error");
    if (rc == 1)
        printf("%d", res->nviolations);
    printf("\n");
    fflush(stdout);
    if (rc == 2) {
        fprintf(stderr, "layerace stress: the first run failed: %s\n", res->error);
        lr_sched_trace_free(t);
        free(res);
        return (LR_EXIT_ENV);
    }
    free(res);
    if (lr_rm_rf(o->dbdir) != 0) {
        fprintf(stderr, "layerace stress: cannot remove the first run's database %s: %s\n",
          o->dbdir, strerror(errno));
        lr_sched_trace_free(t);
        return (LR_EXIT_ENV);
    }
    *tracep = t;
    return (0);
}

void
lr_stress_sched_verdict(FILE *fp, const lr_sched_trace *first, int rc)
{
    if (rc == 2)
        fprintf(fp, "determinism check: failed (see above)\n");
    else
        fprintf(fp,
          "determinism check: passed: both runs took the same %" PRIu64 " steps (trace %016" PRIx64
          ")\n",
          lr_sched_trace_steps(first), lr_sched_trace_hash(first));
}
