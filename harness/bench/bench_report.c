/*
 * bench_report.c -- the benchmark's statistics and report: medians and per-round ratio
 * quantiles, the table on stdout, the JSON file.
 */
#include "bench/bench_int.h"
#include "common/exit.h"
#include "common/json.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------------
 * Statistics.
 */
static int
__bench_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x < y ? -1 : x > y ? 1 : 0);
}

/* The q-quantile (0..1) of v[0..n), linear interpolation; v is sorted in place. */
static double
__bench_quantile(double *v, int n, double q)
{
    double pos;
    int i;

    if (n == 0)
        return (NAN);
    qsort(v, (size_t)n, sizeof(double), __bench_cmp_double);
    pos = q * (n - 1);
    i = (int)pos;
    if (i + 1 >= n)
        return (v[n - 1]);
    return (v[i] + (pos - i) * (v[i + 1] - v[i]));
}

double
lr_bench_median(double *v, int n)
{
    return (__bench_quantile(v, n, 0.5));
}

void
lr_bench_metric_finish(bench_metric *m)
{
    double tmp[BENCH_MAX_ROUNDS], r[BENCH_MAX_ROUNDS];
    int i;

    if (m->n == 0)
        return;
    for (i = 0; i < m->n; i++)
        r[i] = m->kind == BENCH_DIFF_LE ? m->layered[i] : m->layered[i] / m->baseline[i];
    memcpy(tmp, m->baseline, sizeof(double) * (size_t)m->n);
    m->base_med = __bench_quantile(tmp, m->n, 0.5);
    memcpy(tmp, m->layered, sizeof(double) * (size_t)m->n);
    m->lay_med = __bench_quantile(tmp, m->n, 0.5);
    memcpy(tmp, r, sizeof(double) * (size_t)m->n);
    m->ratio = __bench_quantile(tmp, m->n, 0.5);
    m->ratio_lo = __bench_quantile(tmp, m->n, 0.25);
    m->ratio_hi = __bench_quantile(tmp, m->n, 0.75);
    m->pass = m->kind == BENCH_RATE_GE ? m->ratio >= m->goal : m->ratio <= m->goal;
    /* Noisy: the inter-quartile range of the rounds straddles the goal. */
    m->noisy = m->n >= 3 && m->ratio_lo < m->goal && m->ratio_hi > m->goal;
    if (m->noisy) {
        size_t len = strlen(m->note);
        (void)snprintf(m->note + len, sizeof(m->note) - len,
          "%sNOISY: the middle half of the rounds lies on both sides of the goal, so the verdict "
          "is not conclusive on this machine at these sizes.",
          len != 0 ? " " : "");
    }
}

/* ---------------------------------------------------------------------------------------------
 * Report.
 */
static void
__bench_fmt_value(char *buf, size_t len, const bench_metric *m, double v)
{
    if (isnan(v))
        (void)snprintf(buf, len, "-");
    else if (strcmp(m->unit, "s") == 0)
        (void)snprintf(buf, len, "%.3f s", v);
    else if (strcmp(m->unit, "ns") == 0)
        (void)snprintf(buf, len, "%.1f ns", v);
    else
        (void)snprintf(buf, len, "%.0f %s", v, m->unit);
}

static void
__bench_fmt_ratio(char *buf, size_t len, const bench_metric *m, double v)
{
    if (m->kind == BENCH_DIFF_LE)
        (void)snprintf(buf, len, "%.1f %s", v, m->unit);
    else
        (void)snprintf(buf, len, "%.2fx", v);
}

static void
__bench_fmt_goal(char *buf, size_t len, const bench_metric *m)
{
    if (m->goal == 0)
        (void)snprintf(buf, len, "-");
    else if (m->kind == BENCH_DIFF_LE)
        (void)snprintf(buf, len, "<= %.0f %s", m->goal, m->unit);
    else
        (void)snprintf(buf, len, "%s %.2gx", m->kind == BENCH_RATE_GE ? ">=" : "<=", m->goal);
}

void
lr_bench_print(bench_ctx *ctx)
{
    char b[32], l[32], r[32], g[32], lo[32], hi[32];
    const bench_metric *m;
    int i, j;

    printf("\n%-34s %14s %14s %10s %10s  %s\n", "metric", "baseline", "layered", "ratio", "goal",
      "result");
    for (i = 0; i < BM_COUNT; i++) {
        m = &ctx->m[i];
        if (m->n == 0)
            continue;
        __bench_fmt_value(b, sizeof(b), m, m->base_med);
        __bench_fmt_value(l, sizeof(l), m, m->lay_med);
        __bench_fmt_ratio(r, sizeof(r), m, m->ratio);
        __bench_fmt_goal(g, sizeof(g), m);
        printf("%-34s %14s %14s %10s %10s  %s%s\n", m->name, b, l, r, g,
          m->goal == 0 ? "-" :
            m->pass    ? "PASS" :
                         "MISS",
          m->noisy ? " (noisy)" : "");
    }
    printf("\nratio = median over rounds of (layered / baseline) for the same round; for the hook,"
           "\nthe cost of one admission under policy reject (baseline: policy off). baseline and"
           "\nlayered are the medians of each side.\n");
    printf("\nper-round %s (25th..75th percentile):\n", "ratios");
    for (i = 0; i < BM_COUNT; i++) {
        m = &ctx->m[i];
        if (m->n == 0)
            continue;
        __bench_fmt_ratio(lo, sizeof(lo), m, m->ratio_lo);
        __bench_fmt_ratio(hi, sizeof(hi), m, m->ratio_hi);
        printf("  %-32s %s..%s:", m->name, lo, hi);
        for (j = 0; j < m->n; j++) {
            __bench_fmt_ratio(r, sizeof(r), m,
              m->kind == BENCH_DIFF_LE ? m->layered[j] : m->layered[j] / m->baseline[j]);
            printf(" %s", r);
        }
        printf("\n");
    }
    printf("\nnotes:\n");
    for (i = 0; i < BM_COUNT; i++) {
        m = &ctx->m[i];
        if (m->n != 0 && m->note[0] != '\0')
            printf("  %s: %s\n", m->name, m->note);
    }
}

int
lr_bench_json(bench_ctx *ctx, const char *wtver)
{
    const bench_metric *m;
    lr_json j;
    char goal[64];
    int i, k, rc;

    if ((rc = lr_json_open(&j, ctx->json)) != 0) {
        fprintf(stderr, "layerace bench: cannot write %s: %s\n", ctx->json, strerror(rc));
        return (LR_EXIT_ENV);
    }
    lr_json_object(&j, NULL);
    lr_json_str(&j, "liblayered", LT_VERSION_STRING);
    lr_json_str(&j, "wiredtiger", wtver);
    lr_json_bool(&j, "quick", ctx->quick != 0);
    lr_json_i64(&j, "rounds", ctx->rounds);
    lr_json_str(&j, "dir", ctx->parent);
    lr_json_array(&j, "metrics");
    for (i = 0; i < BM_COUNT; i++) {
        m = &ctx->m[i];
        if (m->n == 0)
            continue;
        lr_json_object_line(&j, NULL);
        lr_json_str(&j, "key", m->key);
        lr_json_str(&j, "name", m->name);
        lr_json_str(&j, "unit", m->unit);
        lr_json_double(&j, "baseline", m->base_med, 6);
        lr_json_double(&j, "layered", m->lay_med, 6);
        lr_json_str(&j, "ratio_kind",
          m->kind == BENCH_DIFF_LE ? "ns_per_op" : "layered_over_baseline");
        lr_json_double(&j, "ratio", m->ratio, 6);
        lr_json_double(&j, "ratio_p25", m->ratio_lo, 6);
        lr_json_double(&j, "ratio_p75", m->ratio_hi, 6);
        (void)snprintf(goal, sizeof(goal), "%s %g%s",
          m->kind == BENCH_RATE_GE ? ">=" : "<=", m->goal,
          m->kind == BENCH_DIFF_LE ? m->unit : "x");
        lr_json_str(&j, "goal", goal);
        lr_json_bool(&j, "pass", m->pass != 0);
        lr_json_bool(&j, "noisy", m->noisy != 0);
        lr_json_array_line(&j, "rounds_baseline");
        for (k = 0; k < m->n; k++)
            lr_json_double(&j, NULL, m->baseline[k], 6);
        lr_json_end(&j);
        lr_json_array_line(&j, "rounds_layered");
        for (k = 0; k < m->n; k++)
            lr_json_double(&j, NULL, m->layered[k], 6);
        lr_json_end(&j);
        lr_json_str(&j, "note", m->note);
        lr_json_end(&j);
    }
    lr_json_end(&j);
    lr_json_end(&j);
    if ((rc = lr_json_close(&j)) != 0) {
        fprintf(stderr, "layerace bench: cannot write %s: %s\n", ctx->json, strerror(rc));
        return (LR_EXIT_ENV);
    }
    return (0);
}
