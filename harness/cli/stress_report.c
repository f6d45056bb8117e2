/*
 * stress_report.c -- what a stress run says when it ends: the summary on stdout (counters, the
 * ones that must be zero marked so, the hook's own counters, ops/s, the violations with their
 * invariant and events, the replay command) and the JSON report.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>

#include "cli/stress_int.h"
#include "common/exit.h"
#include "common/json.h"

void
lr_report_replay_cmd(const lr_options *o, bool db_left, char *buf, size_t len)
{
    size_t n;

    buf[0] = '\0';
    if (db_left) {
        snprintf(buf, len, "rm -rf ");
        lr_append_quoted(buf, len, o->dbdir);
        n = strlen(buf);
        snprintf(buf + n, len - n, " && ");
    }
    lr_append_quoted(buf, len, lr_progname);
    n = strlen(buf);
    snprintf(buf + n, len - n, " replay ");
    lr_append_quoted(buf, len, o->repro);
}

static const char *
__end_name(lr_end end, int stop_signal)
{
    switch (end) {
    case LR_END_CLEAN:
        return (stop_signal != 0 ? "interrupted" : "clean");
    case LR_END_VIOLATION:
        return ("violation");
    case LR_END_ERROR:
        return ("error");
    case LR_END_CRASH:
        return ("crash");
    }
    return ("unknown");
}

static double
__ms_of(uint64_t ns)
{
    return ((double)ns / 1e6);
}

/* Violations printed in the summary; the JSON report has every one kept (LR_VIOL_MAX). */
#define SHOW_VIOLATIONS 10

/* __print_text -- s with unprintable bytes as \xNN (a freed table's name can be garbage). */
/* Injected WiredTiger errors by kind, and the failed operations accepted as handled. */
static void
__wtf_line(FILE *fp, const lr_counters *c)
{
    uint64_t total = 0;
    int k;

    for (k = 0; k < LT_WTF_KINDS; k++)
        total += c->wtf_injected[k];
    fprintf(fp, "  wt faults    injected %" PRIu64 " (", total);
    for (k = 0; k < LT_WTF_KINDS; k++)
        fprintf(fp, "%s%s %" PRIu64, k == 0 ? "" : ", ", lt_wtfault_kind_name(k),
          c->wtf_injected[k]);
    fprintf(fp, "), handled %" PRIu64 " failed operations\n", c->wtf_handled);
}

static void
__print_text(FILE *fp, const char *s)
{
    const unsigned char *p;

    for (p = (const unsigned char *)s; *p != '\0'; p++)
        if (*p < 0x20 || *p >= 0x7f)
            fprintf(fp, "\\x%02x", *p);
        else
            fputc(*p, fp);
}

static void
__print_violation(FILE *fp, const lr_violation *v, int i, int n)
{
    int k;

    fprintf(fp, "violation %d of %d: ", i + 1, n);
    __print_text(fp, v->invariant);
    fprintf(fp, ": ");
    __print_text(fp, v->what);
    fprintf(fp, "\n");
    fprintf(fp, "    events");
    for (k = 0; k < 2; k++) {
        if (v->seq[k] == 0)
            continue;
        fprintf(fp, " #%" PRIu64, v->seq[k]);
        if (v->thread[k] >= 0)
            fprintf(fp, " (thread %d)", v->thread[k]);
        else
            fprintf(fp, " (library)");
    }
    if (v->seq[0] == 0 && v->seq[1] == 0)
        fprintf(fp, " (none recorded)");
    if (v->node >= 0)
        fprintf(fp, "; node %d", v->node);
    if (v->table[0] != '\0') {
        fprintf(fp, "; table ");
        __print_text(fp, v->table);
    }
    fprintf(fp, "\n");
}

void
lr_report_summary(FILE *fp, const lr_options *o, const lr_result *res, lr_end end, int stop_signal,
  double finish_s, const char *replay)
{
    const lr_counters *c;
    const lt_hook_stats *h;
    char pol[512];
    int i, kept, shown;

    c = &res->c;
    h = &res->hook;
    fprintf(fp, "\nresult: %s", __end_name(end, stop_signal));
    if (stop_signal != 0)
        fprintf(fp, " (stopped by %s after %.1f s; clean so far)", lr_sig_name(stop_signal),
          (double)res->elapsed_ns / 1e9);
    fprintf(fp, "\n");
    if (end == LR_END_ERROR && res->error[0] != '\0')
        fprintf(fp, "  error        %s\n", res->error);
    if (end != LR_END_CRASH) {
        fprintf(fp,
          "  time         %.2f s running, %.2f s to settle and check; quiescent "
          "checks while running: %" PRIu64 "\n",
          (double)res->elapsed_ns / 1e9, finish_s, res->c.checks);
        fprintf(fp,
          "  ops          %" PRIu64 " (%.0f/s): schema %" PRIu64 " (%" PRIu64 " ok), data %" PRIu64
          " (%" PRIu64 " ok), retries %" PRIu64 ", redelivered %" PRIu64 ", lagged %" PRIu64
          " (%" PRIu64 " late, %" PRIu64 " in a checkpoint by then), history reads %" PRIu64
          " (oldest: %s)\n",
          c->ops, res->ops_per_sec, c->schema_ops, c->schema_ok, c->data_ops, c->data_ok,
          c->retries, c->redelivered, c->lagged, c->lag_late, c->lag_covered, c->history_reads,
          lr_app_oldest(&o->cfg) ? "application" : "library");
        lr_options_policies(&o->cfg, pol, sizeof(pol));
        fprintf(fp, "  policies     %s%s\n", pol,
          o->cfg.policy == LR_POLICY_ROTATE ? " (rotate)" : "");
        fprintf(fp,
          "  transitions  %" PRIu64 ": %" PRIu64 " step-ups, %" PRIu64
          " step-downs; checkpoints %" PRIu64 " (%" PRIu64
          " by the background round), pickups %" PRIu64 ", gc %" PRIu64 "\n",
          c->transitions, c->step_ups, c->step_downs, c->checkpoints, c->bg_checkpoints, c->pickups,
          c->gcs);
        if (o->cfg.restart_every_ms != 0)
            fprintf(fp, "  restarts     %" PRIu64 " (log records replayed %" PRIu64 ")\n",
              c->restarts, c->replayed);
        if (o->cfg.crash_every_ms != 0)
            fprintf(fp,
              "  kills        %" PRIu64 " survived, %" PRIu64 " of them after an injected panic "
              "(rows checked %" PRIu64 "; counts above are of all lives)\n",
              c->kills, c->panics, c->rows_checked);
        fprintf(fp, "  schema ops   rejected %" PRIu64 ", waited %" PRIu64 ", timed out %" PRIu64,
          c->rejected, c->waited, c->timed_out);
        if (o->cfg.policy == LT_POLICY_OFF)
            fprintf(fp, ", overlapped a transition %" PRIu64 " (policy off: expected)\n",
              c->overlapped);
        else
            fprintf(fp, ", overlapped a transition %" PRIu64 " (must be 0)\n", c->overlapped);
        fprintf(fp,
          "  hook         admitted %" PRIu64 ", rejected %" PRIu64 ", waited %" PRIu64
          " (%.1f ms in all), timed out %" PRIu64 ", transitions %" PRIu64
          " (longest %.1f ms), overlapped %" PRIu64 "\n",
          h->admitted, h->rejected, h->waited, __ms_of(h->wait_ns), h->timed_out, h->transitions,
          __ms_of(h->transition_max_ns), h->overlapped);
        if (o->cfg.wt_faults != NULL)
            __wtf_line(fp, c);
        if (c->history_windows != 0)
            fprintf(fp,
              "  events       %" PRIu64 " recorded; %" PRIu64
              " windows checked and dropped at quiescent checks\n",
              c->events, c->history_windows);
        else
            fprintf(fp, "  events       %" PRIu64 " recorded\n", c->events);
        if (res->sched[0] != '\0')
            fprintf(fp, "  scheduler    %s\n", res->sched);
    }
    fprintf(fp, "  violations   %d (must be 0)", res->nviolations);
    for (i = 0; i < LR_VIOL_KINDS && res->tally[i].invariant[0] != '\0'; i++)
        fprintf(fp, "%s%s %d", i == 0 ? ": " : ", ", res->tally[i].invariant, res->tally[i].n);
    fprintf(fp, "\n");

    kept = res->nviolations < LR_VIOL_MAX ? res->nviolations : LR_VIOL_MAX;
    shown = kept < SHOW_VIOLATIONS ? kept : SHOW_VIOLATIONS;
    for (i = 0; i < shown; i++)
        __print_violation(fp, &res->v[i], i, res->nviolations);
    if (res->nviolations > shown)
        fprintf(fp, "(%d more violations; the JSON report (--json) lists the first %d)\n",
          res->nviolations - shown, kept);
    if (end != LR_END_CLEAN || stop_signal != 0)
        fprintf(fp, "repro file: %s\n", o->repro);
    if (end != LR_END_CLEAN && access(o->cfg.dir, F_OK) == 0)
        fprintf(fp, "database: %s (kept)\n", o->cfg.dir);
    else if (end != LR_END_CLEAN)
        fprintf(fp, "database: removed (it was on a tmpfs; the replay rebuilds it)\n");
    fprintf(fp, "replay: %s\n", replay);
}

/* The counters, or null when the child of --fork crashed before it could say. */
static void
__json_counters(lr_json *j, const lr_result *res, bool have_counters)
{
    const lr_counters *c = &res->c;
    const lt_hook_stats *h = &res->hook;
    uint64_t injected = 0;
    char name[32];
    int k;

    if (!have_counters) {
        lr_json_null(j, "counters");
        lr_json_null(j, "hook");
        return;
    }
    lr_json_object(j, "counters");
    lr_json_u64(j, "ops", c->ops);
    lr_json_u64(j, "schema_ops", c->schema_ops);
    lr_json_u64(j, "schema_ok", c->schema_ok);
    lr_json_u64(j, "data_ops", c->data_ops);
    lr_json_u64(j, "data_ok", c->data_ok);
    lr_json_u64(j, "transitions", c->transitions);
    lr_json_u64(j, "step_ups", c->step_ups);
    lr_json_u64(j, "step_downs", c->step_downs);
    lr_json_u64(j, "checkpoints", c->checkpoints);
    lr_json_u64(j, "bg_checkpoints", c->bg_checkpoints);
    lr_json_u64(j, "pickups", c->pickups);
    lr_json_u64(j, "gcs", c->gcs);
    lr_json_u64(j, "history_reads", c->history_reads);
    lr_json_u64(j, "restarts", c->restarts);
    lr_json_u64(j, "replayed", c->replayed);
    lr_json_u64(j, "kills", c->kills);
    lr_json_u64(j, "panics", c->panics);
    lr_json_u64(j, "rows_checked", c->rows_checked);
    lr_json_u64(j, "quiescent_checks", c->checks);
    lr_json_u64(j, "rejected", c->rejected);
    lr_json_u64(j, "waited", c->waited);
    lr_json_u64(j, "timed_out", c->timed_out);
    lr_json_u64(j, "overlapped", c->overlapped);
    lr_json_u64(j, "retries", c->retries);
    lr_json_u64(j, "redelivered", c->redelivered);
    lr_json_u64(j, "lagged", c->lagged);
    lr_json_u64(j, "lag_late", c->lag_late);
    lr_json_u64(j, "lag_covered", c->lag_covered);
    for (k = 0; k < LT_WTF_KINDS; k++)
        injected += c->wtf_injected[k];
    lr_json_u64(j, "wt_faults_injected", injected);
    for (k = 0; k < LT_WTF_KINDS; k++) {
        (void)snprintf(name, sizeof(name), "wt_faults_%s", lt_wtfault_kind_name(k));
        lr_json_u64(j, name, c->wtf_injected[k]);
    }
    lr_json_u64(j, "wt_faults_handled", c->wtf_handled);
    lr_json_u64(j, "violations", c->violations);
    lr_json_u64(j, "events", c->events);
    lr_json_u64(j, "history_windows", c->history_windows);
    lr_json_end(j);
    lr_json_object(j, "hook");
    lr_json_u64(j, "admitted", h->admitted);
    lr_json_u64(j, "rejected", h->rejected);
    lr_json_u64(j, "waited", h->waited);
    lr_json_u64(j, "timed_out", h->timed_out);
    lr_json_u64(j, "wait_ns", h->wait_ns);
    lr_json_u64(j, "transitions", h->transitions);
    lr_json_u64(j, "transition_max_ns", h->transition_max_ns);
    lr_json_u64(j, "overlapped", h->overlapped);
    lr_json_end(j);
}

int
lr_report_json(const lr_options *o, const char *cmdline, const lr_result *res, bool have_counters,
  lr_end end, int exit_code, int stop_signal, double finish_s, double total_s, const char *replay)
{
    const lr_violation *v;
    lr_json j;
    int i, kept, rc;

    if ((rc = lr_json_open(&j, o->json)) != 0) {
        fprintf(stderr, "layerace stress: cannot write the JSON report %s: %s\n", o->json,
          strerror(rc));
        return (LR_EXIT_ENV);
    }
    lr_json_object(&j, NULL);
    lr_json_str(&j, "layerace", LT_VERSION_STRING);
    lr_json_str(&j, "wiredtiger", wiredtiger_version(NULL, NULL, NULL));
    lr_json_str(&j, "command", cmdline);
    lr_json_object(&j, "config");
    lr_options_json(o, &j);
    lr_json_end(&j);
    lr_json_str(&j, "status", __end_name(end, stop_signal));
    lr_json_i64(&j, "exit", exit_code);
    lr_json_str(&j, "stopped_by", stop_signal != 0 ? lr_sig_name(stop_signal) : NULL);
    lr_json_str(&j, "repro", o->repro);
    lr_json_str(&j, "replay", replay);
    lr_json_str(&j, "error", res->error);
    lr_json_str(&j, "scheduler", res->sched);
    __json_counters(&j, res, have_counters);
    lr_json_object(&j, "durations");
    lr_json_double(&j, "run_s", (double)res->elapsed_ns / 1e9, 6);
    lr_json_double(&j, "finish_s", finish_s, 6);
    lr_json_double(&j, "total_s", total_s, 6);
    lr_json_end(&j);
    lr_json_double(&j, "ops_per_sec", have_counters ? res->ops_per_sec : 0.0, 10);
    lr_json_i64(&j, "violations_found", res->nviolations);
    lr_json_object_line(&j, "violations_by_invariant");
    for (i = 0; i < LR_VIOL_KINDS && res->tally[i].invariant[0] != '\0'; i++)
        lr_json_i64(&j, res->tally[i].invariant, res->tally[i].n);
    lr_json_end(&j);
    lr_json_array(&j, "violations");
    kept = res->nviolations < LR_VIOL_MAX ? res->nviolations : LR_VIOL_MAX;
    for (i = 0; i < kept; i++) {
        v = &res->v[i];
        lr_json_object_line(&j, NULL);
        lr_json_str(&j, "invariant", v->invariant);
        lr_json_str(&j, "what", v->what);
        lr_json_array_line(&j, "seq");
        lr_json_u64(&j, NULL, v->seq[0]);
        lr_json_u64(&j, NULL, v->seq[1]);
        lr_json_end(&j);
        lr_json_array_line(&j, "thread");
        lr_json_i64(&j, NULL, v->thread[0]);
        lr_json_i64(&j, NULL, v->thread[1]);
        lr_json_end(&j);
        lr_json_i64(&j, "node", v->node);
        lr_json_str(&j, "table", v->table);
        lr_json_end(&j);
    }
    lr_json_end(&j);
    lr_json_end(&j);
    if ((rc = lr_json_close(&j)) != 0) {
        fprintf(stderr, "layerace stress: cannot write the JSON report %s: %s\n", o->json,
          strerror(rc));
        return (LR_EXIT_ENV);
    }
    return (0);
}
