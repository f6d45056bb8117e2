/*
 * explore_report.c -- what `layerace explore` says: a progress line on a terminal, the summary
 * (runs, runs/s, n, the mean k, PCT's bound, the first failing run with its replay command) and
 * the JSON report.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "cli/explore_int.h"
#include "common/exit.h"
#include "common/json.h"

const char *
lr_exp_policy_name(int policy)
{
    return (lt_policy_name((lt_policy)policy));
}

static double
__rate(const lr_exp_tally *t)
{
    return (t->elapsed_s > 0 ? (double)t->runs / t->elapsed_s : 0.0);
}

static double
__k_mean(const lr_exp_tally *t)
{
    return (t->runs > 0 ? (double)t->k_sum / (double)t->runs : 0.0);
}

/* PCT's probability bound for one run, 1/(n k^(d-1)), with k the mean; 0 if unknown. */
static double
__pct_bound(const lr_exp_options *e, const lr_exp_tally *t)
{
    double k = __k_mean(t);

    if (t->n <= 0 || k < 1.0)
        return (0.0);
    return (1.0 / ((double)t->n * pow(k, (double)(e->depth - 1))));
}

void
lr_exp_progress(const lr_exp_options *e, const lr_exp_tally *t)
{
    char left[64];

    if (e->runs != 0)
        snprintf(left, sizeof(left), "%" PRIu64 " runs left", e->runs - t->runs);
    else
        snprintf(left, sizeof(left), "%.0f s left",
          fmax(0.0, (double)e->duration_ms / 1000.0 - t->elapsed_s));
    printf("\r%6.0f s  runs %" PRIu64 "  %.1f runs/s  k %.0f  %s\033[K", t->elapsed_s, t->runs,
      __rate(t), __k_mean(t), left);
    fflush(stdout);
}

/* __counts -- "pct 50, random 50" of the kinds (or policies) that ran. */
static void
__counts(FILE *fp, const uint64_t *by, int n, bool kinds)
{
    const char *sep = "";
    int i;

    for (i = 0; i < n; i++)
        if (by[i] != 0) {
            fprintf(fp, "%s%s %" PRIu64, sep, kinds ? lr_sched_kind_name(i) : lr_exp_policy_name(i),
              by[i]);
            sep = ", ";
        }
}

void
lr_exp_summary(FILE *fp, const lr_exp_options *e, const lr_exp_tally *t)
{
    const lr_result *res = t->fres;
    const lr_options *o = t->fo;

    if (t->found) {
        fprintf(fp, "--- run %" PRIu64 " (seed %" PRIu64 ") ---\n", t->found_run, o->cfg.seed);
        lr_report_summary(fp, o, res, t->found_rc == 1 ? LR_END_VIOLATION : LR_END_ERROR, 0, 0.0,
          t->replay);
        fprintf(fp, "---\n");
    }
    fprintf(fp,
      "explore: %" PRIu64 " runs in %.1f s, %.1f runs/s; n %d threads, k %.0f scheduling points "
      "a run (mean; max %" PRIu64 "), %.0f choices a run\n",
      t->runs, t->elapsed_s, __rate(t), t->n, __k_mean(t), t->k_max,
      t->runs > 0 ? (double)t->choices_sum / (double)t->runs : 0.0);
    fprintf(fp, "  strategies   ");
    __counts(fp, t->by_kind, LR_EXP_KINDS, true);
    fprintf(fp, "\n  policies     ");
    __counts(fp, t->by_policy, LR_EXP_POLICIES, false);
    if (e->match[0] != '\0')
        fprintf(fp, "\n  unmatched    %" PRIu64 " runs had violations not matching /%s/",
          t->unmatched, e->match);
    fprintf(fp, "\n  run limit    %" PRIu64 " runs reached --run-limit short of --ops\n",
      t->limited);
    if (t->by_kind[LR_SCHED_PCT] != 0)
        fprintf(fp,
          "  pct bound    1/(n k^(d-1)) = 1/(%d*%.0f^%d) = %.3g a run (d %d, k the mean)\n", t->n,
          __k_mean(t), e->depth - 1, __pct_bound(e, t), e->depth);
    if (!t->found) {
        fprintf(fp, "explore result: %s: %" PRIu64 " runs, no violation\n",
          t->env_error          ? "stopped by the error above" :
            t->stop_signal != 0 ? "interrupted" :
                                  "clean",
          t->runs);
        return;
    }
    fprintf(fp,
      "explore result: %s in run %" PRIu64 " of %" PRIu64 " (seed %" PRIu64
      ", policy %s, sched %s, after %.1f s): %s%s%s\n",
      t->found_rc == 1 ? "violation" : "error", t->found_run, t->runs, o->cfg.seed,
      lr_exp_policy_name((int)o->cfg.policy), lr_sched_kind_name(o->cfg.sched.kind), t->elapsed_s,
      res->nviolations > 0 ? res->v[t->found_v].invariant : res->error,
      res->nviolations > 0 ? ": " : "", res->nviolations > 0 ? res->v[t->found_v].what : "");
    fprintf(fp, "repro file: %s\nschedule: %s\nreplay: %s\n", o->repro, o->schedule, t->replay);
}

int
lr_exp_json(const lr_exp_options *e, const lr_exp_tally *t, const char *cmdline, int rc)
{
    lr_json j;
    int ret;

    if ((ret = lr_json_open(&j, e->json)) != 0) {
        fprintf(stderr, "%s explore: cannot write %s: %s\n", LR_PROG, e->json, strerror(ret));
        return (LR_EXIT_ENV);
    }
    lr_json_object(&j, NULL);
    lr_json_str(&j, "command", cmdline);
    lr_json_object(&j, "config");
    lr_knobs_json(lr_exp_table(), e, &j);
    lr_json_end(&j);
    lr_json_str(&j, "status",
      t->found ? (t->found_rc == 1 ? "violation" : "error") :
                 (t->stop_signal != 0 ? "interrupted" : "clean"));
    lr_json_i64(&j, "exit_code", rc);
    lr_json_u64(&j, "runs", t->runs);
    /* Significant digits: enough for the figures' integer part. */
    lr_json_double(&j, "seconds", t->elapsed_s, 6);
    lr_json_double(&j, "runs_per_sec", __rate(t), 4);
    lr_json_i64(&j, "n", t->n);
    lr_json_double(&j, "k_mean", __k_mean(t), 7);
    lr_json_u64(&j, "k_max", t->k_max);
    lr_json_double(&j, "choices_mean", t->runs > 0 ? (double)t->choices_sum / (double)t->runs : 0.0,
      7);
    lr_json_u64(&j, "ops", t->ops_sum);
    lr_json_u64(&j, "limited", t->limited);
    lr_json_u64(&j, "unmatched", t->unmatched);
    if (t->by_kind[LR_SCHED_PCT] != 0)
        lr_json_double(&j, "pct_bound", __pct_bound(e, t), 6);
    else
        lr_json_null(&j, "pct_bound");
    if (t->found) {
        lr_json_object(&j, "failing_run");
        lr_json_u64(&j, "run", t->found_run);
        lr_json_u64(&j, "seed", t->fo->cfg.seed);
        lr_json_str(&j, "policy", lr_exp_policy_name((int)t->fo->cfg.policy));
        lr_json_str(&j, "sched", lr_sched_kind_name(t->fo->cfg.sched.kind));
        lr_json_str(&j, "invariant",
          t->fres->nviolations > 0 ? t->fres->v[t->found_v].invariant : NULL);
        lr_json_str(&j, "what",
          t->fres->nviolations > 0 ? t->fres->v[t->found_v].what : t->fres->error);
        lr_json_str(&j, "scheduler", t->fres->sched);
        lr_json_str(&j, "repro", t->fo->repro);
        lr_json_str(&j, "schedule", t->fo->schedule);
        lr_json_str(&j, "replay", t->replay);
        lr_json_end(&j);
    } else
        lr_json_null(&j, "failing_run");
    lr_json_end(&j);
    if ((ret = lr_json_close(&j)) != 0) {
        fprintf(stderr, "%s explore: cannot write %s: %s\n", LR_PROG, e->json, strerror(ret));
        return (LR_EXIT_ENV);
    }
    return (0);
}
