/*
 * stress_report.c -- what a stress run says when it ends: the summary on stdout (counters, the
 * ones that must be zero marked so, the hook's own counters, ops/s, the violations with their
 * invariant and events, the replay command) and the JSON report.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "cli/stress_int.h"

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
lr_report_summary(FILE *fp, const lr_options *o, const lr_result *res, lr_end end,
  int stop_signal, double finish_s, const char *replay)
{
    const lr_counters *c;
    const lt_hook_stats *h;
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
        fprintf(fp, "  time         %.2f s running, %.2f s to settle and check; quiescent "
                    "checks while running: %" PRIu64 "\n",
          (double)res->elapsed_ns / 1e9, finish_s, res->c.checks);
        fprintf(fp, "  ops          %" PRIu64 " (%.0f/s): schema %" PRIu64 " (%" PRIu64
                    " ok), data %" PRIu64 " (%" PRIu64 " ok), retries %" PRIu64 "\n",
          c->ops, res->ops_per_sec, c->schema_ops, c->schema_ok, c->data_ops, c->data_ok,
          c->retries);
        fprintf(fp, "  transitions  %" PRIu64 ": %" PRIu64 " step-ups, %" PRIu64
                    " step-downs; checkpoints %" PRIu64 ", pickups %" PRIu64 ", gc %" PRIu64 "\n",
          c->transitions, c->step_ups, c->step_downs, c->checkpoints, c->pickups, c->gcs);
        fprintf(fp, "  schema ops   rejected %" PRIu64 ", waited %" PRIu64 ", timed out %" PRIu64,
          c->rejected, c->waited, c->timed_out);
        if (o->cfg.policy == LT_POLICY_OFF)
            fprintf(fp, ", overlapped a transition %" PRIu64 " (policy off: expected)\n",
              c->overlapped);
        else
            fprintf(fp, ", overlapped a transition %" PRIu64 " (must be 0)\n", c->overlapped);
        fprintf(fp, "  hook         admitted %" PRIu64 ", rejected %" PRIu64 ", waited %" PRIu64
                    " (%.1f ms in all), timed out %" PRIu64 ", transitions %" PRIu64
                    " (longest %.1f ms), overlapped %" PRIu64 "\n",
          h->admitted, h->rejected, h->waited, __ms_of(h->wait_ns), h->timed_out, h->transitions,
          __ms_of(h->transition_max_ns), h->overlapped);
        fprintf(fp, "  events       %" PRIu64 " recorded\n", c->events);
        if (res->sched[0] != '\0')
            fprintf(fp, "  scheduler    %s\n", res->sched);
    }
    fprintf(fp, "  violations   %d (must be 0)\n", res->nviolations);

    kept = res->nviolations < LR_VIOL_MAX ? res->nviolations : LR_VIOL_MAX;
    shown = kept < SHOW_VIOLATIONS ? kept : SHOW_VIOLATIONS;
    for (i = 0; i < shown; i++)
        __print_violation(fp, &res->v[i], i, res->nviolations);
    if (res->nviolations > shown)
        fprintf(fp, "(%d more violations; the JSON report (--json) lists the first %d)\n",
          res->nviolations - shown, kept);
    if (end != LR_END_CLEAN || stop_signal != 0)
        fprintf(fp, "repro file: %s\n", o->repro);
    if (end != LR_END_CLEAN)
        fprintf(fp, "database: %s (kept)\n", o->dbdir);
    fprintf(fp, "replay: %s\n", replay);
}

static void
__json_u64(FILE *fp, const char *name, uint64_t v, bool last)
{
    fprintf(fp, "    \"%s\": %" PRIu64 "%s\n", name, v, last ? "" : ",");
}

int
lr_report_json(const lr_options *o, const char *cmdline, const lr_result *res,
  bool have_counters, lr_end end, int exit_code, int stop_signal, double finish_s, double total_s,
  const char *replay)
{
    const lr_counters *c;
    const lt_hook_stats *h;
    const lr_violation *v;
    FILE *fp;
    int i, kept;

    if ((fp = fopen(o->json, "w")) == NULL) {
        fprintf(stderr, "layerace stress: cannot write the JSON report %s: %s\n", o->json,
          strerror(errno));
        return (LR_EXIT_USAGE);
    }
    c = &res->c;
    h = &res->hook;
    fprintf(fp, "{\n  \"layerace\": \"%s\",\n  \"wiredtiger\": ", LT_VERSION_STRING);
    lr_json_string(fp, wiredtiger_version(NULL, NULL, NULL));
    fprintf(fp, ",\n  \"command\": ");
    lr_json_string(fp, cmdline);
    fprintf(fp, ",\n  \"config\": ");
    lr_options_json(o, fp, 2);
    fprintf(fp, ",\n  \"status\": \"%s\",\n  \"exit\": %d,\n", __end_name(end, stop_signal),
      exit_code);
    fprintf(fp, "  \"stopped_by\": ");
    if (stop_signal != 0)
        lr_json_string(fp, lr_sig_name(stop_signal));
    else
        fputs("null", fp);
    fprintf(fp, ",\n  \"repro\": ");
    lr_json_string(fp, o->repro);
    fprintf(fp, ",\n  \"replay\": ");
    lr_json_string(fp, replay);
    fprintf(fp, ",\n  \"error\": ");
    lr_json_string(fp, res->error);
    fprintf(fp, ",\n  \"scheduler\": ");
    lr_json_string(fp, res->sched);
    fprintf(fp, ",\n");
    if (have_counters) {
        fprintf(fp, "  \"counters\": {\n");
        __json_u64(fp, "ops", c->ops, false);
        __json_u64(fp, "schema_ops", c->schema_ops, false);
        __json_u64(fp, "schema_ok", c->schema_ok, false);
        __json_u64(fp, "data_ops", c->data_ops, false);
        __json_u64(fp, "data_ok", c->data_ok, false);
        __json_u64(fp, "transitions", c->transitions, false);
        __json_u64(fp, "step_ups", c->step_ups, false);
        __json_u64(fp, "step_downs", c->step_downs, false);
        __json_u64(fp, "checkpoints", c->checkpoints, false);
        __json_u64(fp, "pickups", c->pickups, false);
        __json_u64(fp, "gcs", c->gcs, false);
        __json_u64(fp, "quiescent_checks", c->checks, false);
        __json_u64(fp, "rejected", c->rejected, false);
        __json_u64(fp, "waited", c->waited, false);
        __json_u64(fp, "timed_out", c->timed_out, false);
        __json_u64(fp, "overlapped", c->overlapped, false);
        __json_u64(fp, "retries", c->retries, false);
        __json_u64(fp, "violations", c->violations, false);
        __json_u64(fp, "events", c->events, true);
        fprintf(fp, "  },\n  \"hook\": {\n");
        __json_u64(fp, "admitted", h->admitted, false);
        __json_u64(fp, "rejected", h->rejected, false);
        __json_u64(fp, "waited", h->waited, false);
        __json_u64(fp, "timed_out", h->timed_out, false);
        __json_u64(fp, "wait_ns", h->wait_ns, false);
        __json_u64(fp, "transitions", h->transitions, false);
        __json_u64(fp, "transition_max_ns", h->transition_max_ns, false);
        __json_u64(fp, "overlapped", h->overlapped, true);
        fprintf(fp, "  },\n");
    } else
        fprintf(fp, "  \"counters\": null,\n  \"hook\": null,\n");
    fprintf(fp,
      "  \"durations\": {\n    \"run_s\": %.3f,\n    \"finish_s\": %.3f,\n"
      "    \"total_s\": %.3f\n  },\n",
      (double)res->elapsed_ns / 1e9, finish_s, total_s);
    fprintf(fp, "  \"ops_per_sec\": %.1f,\n", have_counters ? res->ops_per_sec : 0.0);
    fprintf(fp, "  \"violations_found\": %d,\n  \"violations\": [", res->nviolations);
    kept = res->nviolations < LR_VIOL_MAX ? res->nviolations : LR_VIOL_MAX;
    for (i = 0; i < kept; i++) {
        v = &res->v[i];
        fprintf(fp, "%s\n    {\"invariant\": ", i == 0 ? "" : ",");
        lr_json_string(fp, v->invariant);
        fprintf(fp, ", \"what\": ");
        lr_json_string(fp, v->what);
        fprintf(fp,
          ", \"seq\": [%" PRIu64 ", %" PRIu64 "], \"thread\": [%d, %d], \"node\": %d, "
          "\"table\": ",
          v->seq[0], v->seq[1], v->thread[0], v->thread[1], v->node);
        lr_json_string(fp, v->table);
        fprintf(fp, "}");
    }
    fprintf(fp, "%s]\n}\n", kept > 0 ? "\n  " : "");
    if (fclose(fp) != 0) {
        fprintf(stderr, "layerace stress: cannot write the JSON report %s: %s\n", o->json,
          strerror(errno));
        return (LR_EXIT_USAGE);
    }
    return (0);
}
