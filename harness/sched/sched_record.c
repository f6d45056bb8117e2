/*
 * sched_record.c -- the schedule file (record and exact replay), the step trace and its hash,
 * and the determinism check's comparison.
 *
 * The schedule is the choice made at each step where more than one thread could run: the step,
 * the thread chosen and the point it resumes from. One line per choice, then an end line with
 * the step count and the trace hash:
 *
 *     # comments
 *     STEP THREAD VERB POINT INDEX
 *     end STEPS HASH
 *
 * Lines are written as the choices are made (line-buffered), so a run that dies leaves its
 * schedule so far. A replay takes each choice from the file; a recorded thread that is not
 * runnable at the recorded point stops the run: "schedule diverged at step N: thread T expected
 * at P, found at Q" (exit 2). The trace hash covers every step (thread, point, index) and every
 * library event the engine reports (lr_sched_event), in order.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sched/sched_int.h"

lr_sched_trace *
lr_sched_trace_new(void)
{
    lr_sched_trace *t = calloc(1, sizeof(*t));

    return (t);
}

void
lr_sched_trace_free(lr_sched_trace *t)
{
    if (t != NULL)
        free(t->v);
    free(t);
}

uint64_t
lr_sched_trace_hash(const lr_sched_trace *t)
{
    return (t->hash);
}

uint64_t
lr_sched_trace_steps(const lr_sched_trace *t)
{
    return (t->n == 0 ? 0 : t->v[t->n - 1].step);
}

/* A choice and the end line, as the recorder writes them and the replay reads them back. */
#define CHOICE_FMT "%" PRIu64 " %d %s %s %d"
#define END_FMT "end %" PRIu64 " %016" PRIx64

/*
 * __replay_line -- one line of a schedule (its newline removed), read strictly: it must be
 * exactly what the recorder writes, so that nothing is read from a line with more on it, a
 * field cut short, or a number that does not fit. Returns 0 (a choice in *c), 1 (the end line),
 * or -1.
 */
static int
__replay_line(lr_sched *s, const char *line, lr_choice *c)
{
    char again[256], verb[16], name[48];
    uint64_t step, hash;
    int tid, idx;

    if (sscanf(line, "end %" SCNu64 " %" SCNx64, &step, &hash) == 2) {
        snprintf(again, sizeof(again), END_FMT, step, hash);
        if (strcmp(again, line) != 0)
            return (-1);
        s->replay_hash = hash;
        return (1);
    }
    if (sscanf(line, "%" SCNu64 " %d %15s %47s %d", &step, &tid, verb, name, &idx) != 5 || tid < 0)
        return (-1);
    snprintf(again, sizeof(again), CHOICE_FMT, step, tid, verb, name, idx);
    if (strcmp(again, line) != 0)
        return (-1);
    c->step = step;
    c->tid = tid;
    c->idx = idx;
    snprintf(c->verb, sizeof(c->verb), "%s", verb);
    snprintf(c->name, sizeof(c->name), "%s", name);
    return (0);
}

static int
__replay_read(lr_sched *s, char *err, size_t errlen)
{
    lr_choice c, *nv;
    char *line = NULL;
    size_t cap = 0, lcap = 0;
    ssize_t len;
    FILE *fp;
    int lineno, ret = 0;

    if ((fp = fopen(s->cfg.replay, "r")) == NULL) {
        snprintf(err, errlen, "cannot open the schedule %s: %s", s->cfg.replay, strerror(errno));
        return (-1);
    }
    for (lineno = 1; ret == 0 && (len = getline(&line, &lcap, fp)) != -1; lineno++) {
        if (len > 0 && line[len - 1] == '\n')
            line[--len] = '\0';
        if (strlen(line) == (size_t)len && (line[0] == '#' || line[0] == '\0'))
            continue;
        if (strlen(line) != (size_t)len || (ret = __replay_line(s, line, &c)) < 0) { /* a NUL */
            snprintf(err, errlen,
              "%s:%d: expected 'STEP THREAD VERB POINT INDEX' or 'end STEPS HASH'", s->cfg.replay,
              lineno);
            ret = -1;
            break;
        }
        if (ret == 1) {
            ret = 0;
            continue;
        }
        if (s->nreplay == cap) {
            cap = cap == 0 ? 1024 : 2 * cap;
            if ((nv = realloc(s->replay, cap * sizeof(*nv))) == NULL) {
                snprintf(err, errlen, "out of memory");
                ret = -1;
                break;
            }
            s->replay = nv;
        }
        s->replay[s->nreplay++] = c;
    }
    free(line);
    fclose(fp);
    if (ret == 0 && s->replay == NULL && (s->replay = malloc(sizeof(*s->replay))) == NULL) {
        snprintf(err, errlen, "out of memory"); /* an empty schedule is still a replay */
        ret = -1;
    }
    return (ret);
}

int
__lr_record_open(lr_sched *s, char *err, size_t errlen)
{
    if (s->cfg.replay != NULL && s->cfg.record != NULL &&
      strcmp(s->cfg.replay, s->cfg.record) == 0) {
        snprintf(err, errlen, "cannot record the schedule into %s, which it replays",
          s->cfg.record);
        return (-1);
    }
    if (s->cfg.replay != NULL && __replay_read(s, err, errlen) != 0)
        return (-1);
    if (s->cfg.record == NULL)
        return (0);
    if ((s->rec = fopen(s->cfg.record, "w")) == NULL) {
        snprintf(err, errlen, "cannot write the schedule %s: %s", s->cfg.record, strerror(errno));
        return (-1);
    }
    (void)setvbuf(s->rec, NULL, _IOLBF, 0);
    fprintf(s->rec,
      "# layerace schedule: strategy %s, seed %" PRIu64 "\n"
      "# one line per choice (a step where more than one thread could run):\n"
      "# step thread verb point index\n",
      lr_sched_kind_name(s->cfg.kind), s->cfg.seed);
    return (0);
}

static bool
__at(const lr_sthread *t, const char *verb, const char *name, int idx)
{
    return (t->state != LR_TS_ENDED && strcmp(t->verb, verb) == 0 && strcmp(t->point, name) == 0 &&
      t->idx == idx);
}

/* __lr_record_choose -- the replayed schedule's choice at this step (lk held). */
lr_sthread *
__lr_record_choose(lr_sched *s, lr_sthread **r, int nr)
{
    lr_sthread *t = NULL;
    lr_choice *c;
    char found[200], where[128];
    int i;

    if (s->ireplay == s->nreplay) {
        fprintf(stderr,
          "layerace: schedule diverged at step %" PRIu64 ": the schedule has no more choices, "
          "but %d threads could run\n",
          s->step, nr);
        __lr_sched_dump(s, "threads now:");
        __lr_sched_fail(s, 2);
    }
    c = &s->replay[s->ireplay++];
    for (i = 0; i < nr; i++)
        if (r[i]->id == c->tid)
            t = r[i];
    if (t != NULL && c->step == s->step && __at(t, c->verb, c->name, c->idx))
        return (t);
    if (c->tid < s->nt && t == NULL)
        snprintf(found, sizeof(found), "%s (not runnable)",
          __lr_sched_where(s->t[c->tid], where, sizeof(where)));
    else if (t != NULL && c->step != s->step)
        snprintf(found, sizeof(found), "%s, with the choice recorded at step %" PRIu64,
          __lr_sched_where(t, where, sizeof(where)), c->step);
    else if (t != NULL)
        __lr_sched_where(t, found, sizeof(found));
    else
        snprintf(found, sizeof(found), "no such thread");
    fprintf(stderr,
      "layerace: schedule diverged at step %" PRIu64 ": thread %d expected at %s %s@%d, found "
      "at %s\n",
      s->step, c->tid, c->verb, c->name, c->idx, found);
    __lr_sched_dump(s, "threads now:");
    __lr_sched_fail(s, 2);
}

void
__lr_record_choice(lr_sched *s, lr_sthread *chosen)
{
    if (s->rec != NULL)
        fprintf(s->rec, CHOICE_FMT "\n", s->step, chosen->id, chosen->verb, chosen->point,
          chosen->idx);
}

static uint64_t
__mix(uint64_t h, uint64_t v)
{
    h = (h ^ v) * LR_HASH_PRIME;
    return (h ^ (h >> 29));
}

/* __ref_where -- thread tid's last point in the reference run before entry at. */
static void
__ref_where(const lr_sched_trace *ref, size_t at, int tid, char *buf, size_t len)
{
    size_t i;

    snprintf(buf, len, "start thread");
    for (i = at; i > 0; i--)
        if (ref->v[i - 1].tid == tid && strcmp(ref->v[i - 1].verb, "event") != 0) {
            if (ref->v[i - 1].idx >= 0)
                snprintf(buf, len, "%s %s@%d", ref->v[i - 1].verb, ref->v[i - 1].name,
                  ref->v[i - 1].idx);
            else
                snprintf(buf, len, "%s %s", ref->v[i - 1].verb, ref->v[i - 1].name);
            return;
        }
}

static void
__entry_text(const lr_tstep *e, char *buf, size_t len)
{
    if (e == NULL)
        snprintf(buf, len, "(the run had ended)");
    else if (strcmp(e->verb, "event") == 0)
        snprintf(buf, len, "thread %d: event %s on node %d (op %u, rc %d)", e->tid, e->name, e->idx,
          (unsigned)(e->detail >> 32), (int)(uint32_t)e->detail);
    else if (e->idx >= 0)
        snprintf(buf, len, "thread %d at %s %s@%d", e->tid, e->verb, e->name, e->idx);
    else
        snprintf(buf, len, "thread %d at %s %s", e->tid, e->verb, e->name);
}

/* __differ -- the determinism check found the first difference: report it and stop. */
static void __differ(lr_sched *s, const lr_tstep *now) __attribute__((noreturn));
static void
__differ(lr_sched *s, const lr_tstep *now)
{
    const lr_sched_trace *ref = s->cfg.ref;
    const lr_tstep *then = s->ref_at < ref->n ? &ref->v[s->ref_at] : NULL;
    char a[256], b[256];
    int i;

    __entry_text(then, a, sizeof(a));
    __entry_text(now, b, sizeof(b));
    fprintf(stderr,
      "layerace: determinism check: the runs differ at step %" PRIu64 " (trace entry %zu)\n"
      "  first run:  %s\n"
      "  second run: %s\n"
      "each thread's point in the first run:\n",
      now != NULL ? now->step : s->step, s->ref_at, a, b);
    for (i = 0; i < s->nt; i++) {
        __ref_where(ref, s->ref_at, s->t[i]->id, a, sizeof(a));
        fprintf(stderr, "  thread %d (%s): %s\n", s->t[i]->id, s->t[i]->name, a);
    }
    __lr_sched_dump(s, "each thread's point in the second run:");
    __lr_sched_fail(s, 2);
}

/* __lr_trace_step -- one step or event into the hash, the kept trace, the comparison. */
void
__lr_trace_step(lr_sched *s, int tid, const char *verb, const char *name, int idx, uint64_t detail)
{
    lr_sched_trace *keep = s->cfg.keep;
    const lr_tstep *r;
    lr_tstep e, *nv;
    uint64_t h = s->trace.hash;

    h = __mix(h, (uint64_t)tid);
    h = __mix(h, lr_hash_str(verb));
    h = __mix(h, lr_hash_str(name));
    h = __mix(h, (uint64_t)(int64_t)idx);
    s->trace.hash = __mix(h, detail);

    e.tid = tid;
    e.idx = idx;
    e.verb = verb;
    e.name = name;
    e.detail = detail;
    e.step = s->step;
    if (keep != NULL) {
        if (keep->n == keep->cap) {
            keep->cap = keep->cap == 0 ? 4096 : 2 * keep->cap;
            if ((nv = realloc(keep->v, keep->cap * sizeof(*nv))) == NULL)
                abort();
            keep->v = nv;
        }
        keep->v[keep->n++] = e;
        keep->hash = s->trace.hash;
    }
    if (s->cfg.ref != NULL) {
        r = s->ref_at < s->cfg.ref->n ? &s->cfg.ref->v[s->ref_at] : NULL;
        if (r == NULL || r->tid != tid || r->idx != idx || r->detail != detail ||
          strcmp(r->verb, verb) != 0 || strcmp(r->name, name) != 0)
            __differ(s, &e);
        s->ref_at++;
    }
}

/* __lr_record_end -- the run is over (lk held): a replay used every choice; the end line. */
int
__lr_record_end(lr_sched *s)
{
    int ret = 0;

    if (!s->started) /* the run never began: nothing to check or to end */
        ret = 0;
    else if (s->replay != NULL && s->ireplay != s->nreplay) {
        fprintf(stderr,
          "layerace: schedule diverged at step %" PRIu64 ": the run ended with %zu recorded "
          "choices left (the next at step %" PRIu64 ")\n",
          s->step, s->nreplay - s->ireplay, s->replay[s->ireplay].step);
        ret = 2;
    } else if (s->replay != NULL && s->replay_hash != 0 && s->replay_hash != s->trace.hash) {
        fprintf(stderr,
          "layerace: schedule diverged: every choice replayed, but the trace differs (recorded "
          "%016" PRIx64 ", now %016" PRIx64 "): the library's events were not the same\n",
          s->replay_hash, s->trace.hash);
        ret = 2;
    }
    if (s->started && s->cfg.ref != NULL && s->ref_at != s->cfg.ref->n) {
        fprintf(stderr,
          "layerace: determinism check: the second run ended at step %" PRIu64 " (trace entry "
          "%zu); the first went on to step %" PRIu64 "\n",
          s->step, s->ref_at, lr_sched_trace_steps(s->cfg.ref));
        ret = 2;
    }
    if (s->rec != NULL) {
        fprintf(s->rec, END_FMT "\n", s->step, s->trace.hash);
        if (fclose(s->rec) != 0 && ret == 0) {
            fprintf(stderr, "layerace: cannot write the schedule %s: %s\n", s->cfg.record,
              strerror(errno));
            ret = 2;
        }
        s->rec = NULL;
    }
    return (ret);
}
