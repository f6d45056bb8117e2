/*
 * trace_out.c -- the recorder's output: Chrome trace-event JSON and the swimlane.
 *
 * JSON: {"traceEvents": [...], "displayTimeUnit": "ms", "otherData": {...}}: a process name and a
 * thread name (metadata, "ph": "M") per track, then each track's kept events in order: complete
 * events ("X", ts and dur), thread-scoped instants ("i"), flow starts and ends ("s", "f" bound to
 * the enclosing slice). Slices still open (a run stopped inside them) are written as complete
 * events up to the last timestamp, with "unfinished" in their arguments. The tid of a harness
 * thread is its id + 1; the driver's is 1000, library threads' 1001.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "common/json.h"
#include "trace/trace_int.h"

static int
__tid(const lr_track *k)
{
    return (k->id == LR_TRACE_DRIVER ? 1000 : k->id == LR_TRACE_LIBRARY ? 1001 : k->id + 1);
}

/* __nth -- the i-th kept event of k, oldest first. */
static const lr_tev *
__nth(const lr_trace *t, const lr_track *k, uint64_t i)
{
    uint64_t first = k->n > t->cap ? k->n - t->cap : 0;

    return (&k->ring[(first + i) % t->cap]);
}

static uint64_t
__kept(const lr_trace *t, const lr_track *k)
{
    return (k->ring == NULL ? 0 : k->n < t->cap ? k->n : t->cap);
}

static void
__write_event(FILE *fp, const lr_track *k, const lr_tev *e, bool *first)
{
    fprintf(fp, "%s\n{\"name\":", *first ? "" : ",");
    *first = false;
    lr_json_escape(fp, e->name);
    fprintf(fp, ",\"cat\":");
    lr_json_escape(fp, e->cat);
    fprintf(fp, ",\"ph\":\"%c\",\"ts\":%" PRIu64 ",\"pid\":1,\"tid\":%d", e->ph, e->ts, __tid(k));
    if (e->ph == 'X')
        fprintf(fp, ",\"dur\":%" PRIu64, e->dur);
    else if (e->ph == 'i')
        fprintf(fp, ",\"s\":\"t\"");
    else
        fprintf(fp, ",\"id\":%" PRIu64 "%s", e->flow, e->ph == 'f' ? ",\"bp\":\"e\"" : "");
    fprintf(fp, ",\"args\":{%s}}", e->args);
}

int
lr_trace_write(const char *path)
{
    lr_trace *t = lr_tracer;
    lr_tev open;
    const lr_tev *e;
    uint64_t i, last = 0;
    unsigned char *ends; /* per flow id: 1 its start kept, 2 its end kept */
    bool first = true;
    FILE *fp;
    int j, o, ret;

    if (t == NULL)
        return (EINVAL);
    /* A bounded trace may have dropped one end of an arrow: such arrows are left out whole. */
    if ((ends = calloc(t->flows + 1, 1)) == NULL)
        return (ENOMEM);
    for (j = 0; j < t->ntracks; j++)
        for (i = 0; i < __kept(t, &t->tracks[j]); i++)
            if ((e = __nth(t, &t->tracks[j], i))->ph == 's' || e->ph == 'f')
                ends[e->flow <= t->flows ? e->flow : 0] |= e->ph == 's' ? 1 : 2;
    if ((fp = fopen(path, "w")) == NULL) {
        free(ends);
        return (errno);
    }
    fprintf(fp,
      "{\"traceEvents\":[\n{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":1,\"tid\":0,"
      "\"args\":{\"name\":\"layerace\"}}");
    first = false;
    for (j = 0; j < t->ntracks; j++)
        for (i = 0; i < __kept(t, &t->tracks[j]); i++)
            if (__nth(t, &t->tracks[j], i)->ts + __nth(t, &t->tracks[j], i)->dur > last)
                last = __nth(t, &t->tracks[j], i)->ts + __nth(t, &t->tracks[j], i)->dur;
    for (j = 0; j < t->ntracks; j++) {
        lr_track *k = &t->tracks[j];

        (void)pthread_mutex_lock(&k->lk);
        if (__kept(t, k) == 0 && k->nopen == 0) {
            (void)pthread_mutex_unlock(&k->lk);
            continue;
        }
        fprintf(fp,
          ",\n{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":%d,\"args\":"
          "{\"name\":",
          __tid(k));
        lr_json_escape(fp, k->name);
        fprintf(fp,
          "}},\n{\"name\":\"thread_sort_index\",\"ph\":\"M\",\"pid\":1,\"tid\":%d,"
          "\"args\":{\"sort_index\":%d}}",
          __tid(k), __tid(k));
        for (i = 0; i < __kept(t, k); i++)
            if (((e = __nth(t, k, i))->ph != 's' && e->ph != 'f') ||
              (e->flow <= t->flows && ends[e->flow] == 3))
                __write_event(fp, k, e, &first);
        for (o = (k->nopen < LR_TRACE_OPEN_MAX ? k->nopen : LR_TRACE_OPEN_MAX) - 1; o >= 0; o--) {
            memset(&open, 0, sizeof(open));
            open.ph = 'X';
            open.ts = k->open[o].ts;
            open.dur = last > open.ts ? last - open.ts : 0;
            snprintf(open.cat, sizeof(open.cat), "%s", k->open[o].cat);
            snprintf(open.name, sizeof(open.name), "%s", k->open[o].name);
            snprintf(open.args, sizeof(open.args), "\"unfinished\":true");
            __write_event(fp, k, &open, &first);
        }
        (void)pthread_mutex_unlock(&k->lk);
    }
    fprintf(fp, "\n],\"displayTimeUnit\":\"ms\",\"otherData\":{\"clock\":\"%s\"}}\n",
      t->step != NULL ? "scheduler step x 1000 (controlled)" : "wall microseconds (free)");
    free(ends);
    ret = ferror(fp) ? EIO : 0;
    if (fclose(fp) != 0 && ret == 0)
        ret = errno;
    return (ret);
}

/* ---------------------------------------------------------------------------------------------
 * The swimlane.
 */
typedef struct {
    const lr_tev *e;
    int col;
} __row;

static int
__row_cmp(const void *a, const void *b)
{
    const __row *x = a, *y = b;

    if (x->e->ts != y->e->ts)
        return (x->e->ts < y->e->ts ? -1 : 1);
    return (x->col - y->col);
}

#define LANE_W 30

void
lr_trace_swimlane(FILE *fp)
{
    lr_trace *t = lr_tracer;
    __row *rows;
    int col[512], ncol = 0, j, c;
    size_t n = 0, cap = 0, r, n_args;
    uint64_t i;
    char cell[LANE_W + 1], text[200];
    bool shown;

    if (t == NULL)
        return;
    for (j = 0; j < t->ntracks; j++)
        cap += (size_t)__kept(t, &t->tracks[j]);
    if ((rows = calloc(cap + 1, sizeof(*rows))) == NULL)
        return;
    for (j = 0; j < t->ntracks && ncol < 512; j++) {
        shown = false;
        for (i = 0; i < __kept(t, &t->tracks[j]); i++) {
            const lr_tev *e = __nth(t, &t->tracks[j], i);

            /* Flows are arrows in a viewer; the driver's set-up and settle are not the race. */
            if (e->ph == 's' || e->ph == 'f' ||
              (t->tracks[j].id == LR_TRACE_DRIVER && strcmp(e->cat, "violation") != 0))
                continue;
            if (!shown)
                col[ncol++] = j;
            shown = true;
            rows[n].e = e;
            rows[n++].col = ncol - 1;
        }
    }
    qsort(rows, n, sizeof(*rows), __row_cmp);
    fprintf(fp, "  step ");
    for (c = 0; c < ncol; c++)
        fprintf(fp, "| %-*.*s", LANE_W - 2, LANE_W - 2, t->tracks[col[c]].name);
    fprintf(fp, "\n");
    for (r = 0; r < n; r++) {
        const lr_tev *e = rows[r].e;

        if (strcmp(e->cat, "violation") == 0) { /* args: "text":"..." (JSON-escaped) */
            n_args = strlen(e->args);
            fprintf(fp, "%6" PRIu64 " !! %s: violation %.*s\n", e->ts / 1000,
              t->tracks[col[rows[r].col]].name, n_args > 9 ? (int)(n_args - 9) : 0,
              n_args > 9 ? e->args + 8 : "");
            continue;
        }
        if (e->ph == 'X')
            snprintf(text, sizeof(text), "%s [%s]", e->name, e->cat);
        else if (strcmp(e->cat, "sched") == 0 && strstr(e->args, "preempted") != NULL)
            snprintf(text, sizeof(text), "%s (preempted)", e->name);
        else
            snprintf(text, sizeof(text), "%s", e->name);
        memcpy(cell, text, sizeof(cell) - 1);
        cell[sizeof(cell) - 1] = '\0';
        fprintf(fp, "%6" PRIu64 " ", e->ts / 1000);
        for (c = 0; c < ncol; c++)
            fprintf(fp, "| %-*.*s", LANE_W - 2, LANE_W - 2, c == rows[r].col ? cell : "");
        fprintf(fp, "\n");
    }
    free(rows);
}
