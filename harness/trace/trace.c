/*
 * trace.c -- the recorder (trace.h, trace_int.h): tracks, the clock, the emissions, and each
 * harness thread's status for the free-mode watchdog.
 */
#include <errno.h>
#include <stdatomic.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "trace/trace_int.h"

lr_trace *lr_tracer;

/* ---------------------------------------------------------------------------------------------
 * The recorder.
 */
int
lr_trace_open(uint64_t cap, uint64_t (*step)(void), lt_policy policy)
{
    lr_trace *t;
    int i;

    if ((t = calloc(1, sizeof(*t))) == NULL)
        return (ENOMEM);
    t->ntracks = 3 + __lr_trace_nthreads();
    t->cap = cap < 16 ? 16 : cap;
    if ((t->tracks = calloc((size_t)t->ntracks, sizeof(*t->tracks))) == NULL) {
        free(t);
        return (ENOMEM);
    }
    for (i = 0; i < t->ntracks; i++) {
        (void)pthread_mutex_init(&t->tracks[i].lk, NULL);
        t->tracks[i].id = i - 2;
        __lr_trace_thread_name(i - 2, t->tracks[i].name, sizeof(t->tracks[i].name));
    }
    (void)pthread_mutex_init(&t->lk, NULL);
    t->step = step;
    t->policy = policy;
    t->t0_ns = lr_now_ns();
    for (i = 0; i < LT_NODES_MAX; i++)
        t->tr_track[i] = -1;
    lr_tracer = t;
    return (0);
}

void
lr_trace_close(void)
{
    lr_trace *t = lr_tracer;
    int i;

    if (t == NULL)
        return;
    lr_tracer = NULL;
    for (i = 0; i < t->ntracks; i++) {
        free(t->tracks[i].ring);
        (void)pthread_mutex_destroy(&t->tracks[i].lk);
    }
    (void)pthread_mutex_destroy(&t->lk);
    free(t->tracks);
    free(t);
}

int
lr_trace_rounds(uint32_t *v, int max)
{
    lr_trace *t = lr_tracer;
    int i;

    for (i = 0; t != NULL && i + 2 < t->ntracks && i < max; i++)
        v[i] = t->tracks[i + 2].rounds;
    return (i);
}

void
lr_trace_counts(uint64_t *kept, uint64_t *dropped)
{
    lr_trace *t = lr_tracer;
    int i;

    *kept = *dropped = 0;
    for (i = 0; t != NULL && i < t->ntracks; i++) {
        *kept += t->tracks[i].n < t->cap ? t->tracks[i].n : t->cap;
        *dropped += t->tracks[i].n < t->cap ? 0 : t->tracks[i].n - t->cap;
    }
}

/* __now -- the clock: the step (x1000, plus the order within it) or wall microseconds. */
static uint64_t
__now(lr_trace *t)
{
    uint64_t st, ts;

    if (t->step == NULL)
        return ((lr_now_ns() - t->t0_ns) / 1000);
    (void)pthread_mutex_lock(&t->lk);
    st = t->step();
    if (st != t->last_step) {
        t->last_step = st;
        t->order = 0;
    }
    ts = st * 1000 + t->order;
    if (t->order < 999)
        t->order++;
    (void)pthread_mutex_unlock(&t->lk);
    return (ts);
}

/* __track -- thread id's track (an id out of range: the library's). */
static lr_track *
__track(lr_trace *t, int id)
{
    return (&t->tracks[id + 2 >= 0 && id + 2 < t->ntracks ? id + 2 : 1]);
}

static lr_track *
__mine(lr_trace *t)
{
    return (__track(t, lr_trace_me != NULL ? lr_trace_me->id : LR_TRACE_LIBRARY));
}

/* __put -- append an event to k (k->lk held). */
static void
__put(lr_trace *t, lr_track *k, char ph, uint64_t ts, uint64_t dur, const char *cat,
  const char *name, const char *args, uint64_t flow)
{
    lr_tev *e;

    if (k->ring == NULL && (k->ring = calloc(t->cap, sizeof(*k->ring))) == NULL)
        return;
    e = &k->ring[k->n++ % t->cap];
    e->ph = ph;
    e->ts = ts;
    e->dur = dur;
    e->flow = flow;
    snprintf(e->cat, sizeof(e->cat), "%s", cat);
    snprintf(e->name, sizeof(e->name), "%s", name);
    snprintf(e->args, sizeof(e->args), "%s", args != NULL ? args : "");
}

void
lr_trace_arg(char *buf, size_t len, const char *key, const char *value)
{
    size_t n = strlen(buf);
    const unsigned char *p;

    n += (size_t)snprintf(buf + n, len > n ? len - n : 0, "%s\"%s\":\"", n == 0 ? "" : ",", key);
    /* An escape is at most 6 characters; a cut value ends in "...", then the quote and NUL. */
    for (p = (const unsigned char *)value; *p != '\0' && n + 11 < len; p++) {
        if (*p == '"' || *p == '\\') {
            buf[n++] = '\\';
            buf[n++] = (char)*p;
        } else if (*p < 0x20 || *p >= 0x7f)
            n += (size_t)snprintf(buf + n, len - n, "\\u%04x", *p);
        else
            buf[n++] = (char)*p;
    }
    if (*p != '\0' && n + 5 <= len) {
        memcpy(buf + n, "...", 3);
        n += 3;
    }
    if (n + 2 <= len) {
        buf[n++] = '"';
        buf[n] = '\0';
    } else if (len > 0)
        buf[0] = '\0'; /* no room: no arguments rather than broken JSON */
}

void
lr_trace_arg_i(char *buf, size_t len, const char *key, int64_t v)
{
    size_t n = strlen(buf);

    snprintf(buf + n, len > n ? len - n : 0, "%s\"%s\":%" PRId64, n == 0 ? "" : ",", key, v);
}

static void
__begin(lr_trace *t, lr_track *k, const char *cat, const char *name)
{
    uint64_t ts = __now(t);

    (void)pthread_mutex_lock(&k->lk);
    if (k->nopen < LR_TRACE_OPEN_MAX) {
        k->open[k->nopen].ts = ts;
        snprintf(k->open[k->nopen].cat, sizeof(k->open[0].cat), "%s", cat);
        snprintf(k->open[k->nopen].name, sizeof(k->open[0].name), "%s", name);
    }
    k->nopen++;
    (void)pthread_mutex_unlock(&k->lk);
}

/* __end -- end the innermost open slice of cat (NULL: the innermost), and those inside it. */
static void
__end(lr_trace *t, lr_track *k, const char *cat, const char *args)
{
    uint64_t ts = __now(t);
    int i, found = -1;

    (void)pthread_mutex_lock(&k->lk);
    for (i = k->nopen - 1; i >= 0 && found < 0; i--)
        if (i < LR_TRACE_OPEN_MAX && (cat == NULL || strcmp(k->open[i].cat, cat) == 0))
            found = i;
    while (found >= 0 && k->nopen > found) {
        k->nopen--;
        if (k->nopen < LR_TRACE_OPEN_MAX)
            __put(t, k, 'X', k->open[k->nopen].ts, ts - k->open[k->nopen].ts, k->open[k->nopen].cat,
              k->open[k->nopen].name,
              k->nopen == found ? args : "\"ended\":\"with an enclosing slice\"", 0);
    }
    (void)pthread_mutex_unlock(&k->lk);
}

static void
__instant(lr_trace *t, lr_track *k, const char *cat, const char *name, const char *args)
{
    uint64_t ts = __now(t);

    (void)pthread_mutex_lock(&k->lk);
    __put(t, k, 'i', ts, 0, cat, name, args, 0);
    (void)pthread_mutex_unlock(&k->lk);
}

void
lr_trace_begin_slow(const char *cat, const char *name)
{
    __begin(lr_tracer, __mine(lr_tracer), cat, name);
}

void
lr_trace_end_slow(const char *args)
{
    __end(lr_tracer, __mine(lr_tracer), NULL, args);
}

void
lr_trace_instant_slow(const char *cat, const char *name, const char *args)
{
    __instant(lr_tracer, __mine(lr_tracer), cat, name, args);
}

void
lr_trace_point_slow(const char *verb, const char *name, int idx)
{
    if (lr_trace_me != NULL) {
        lr_trace_me->verb = verb;
        lr_trace_me->point = name;
        lr_trace_me->idx = idx;
    }
    LR_TRACE_BEAT();
}

void
lr_trace_sched_step(int tid, const char *verb, const char *name, int idx, const char *decision)
{
    lr_trace *t = lr_tracer;
    char what[96], args[160] = "";

    if (t == NULL)
        return;
    if (idx >= 0)
        snprintf(what, sizeof(what), "%s %s@%d", verb, name, idx);
    else
        snprintf(what, sizeof(what), "%s %s", verb, name);
    lr_trace_arg(args, sizeof(args), "decision", decision);
    __instant(t, __track(t, tid), "sched", what, args);
    if (strcmp(verb, "at") == 0 && strncmp(name, "op.", 3) == 0) {
        (void)pthread_mutex_lock(&__track(t, tid)->lk);
        __track(t, tid)->rounds++;
        (void)pthread_mutex_unlock(&__track(t, tid)->lk);
    }
}

void
lr_trace_block_slow(bool begin, const char *what, int idx)
{
    lr_trace *t = lr_tracer;
    char name[96];
    bool grace = strcmp(what, "grace") == 0 || strcmp(what, "rcu") == 0;
    LR_TRACE_BEAT();

    if (lr_trace_me != NULL) {
        lr_trace_me->blocked = begin ? what : NULL;
        lr_trace_me->bnode = idx;
    }
    if (t == NULL)
        return;
    if (!begin) {
        __end(t, __mine(t), grace ? "phase" : "wait", NULL);
        return;
    }
    if (grace)
        snprintf(name, sizeof(name), "grace period@%d", idx);
    else
        snprintf(name, sizeof(name), "blocked %s@%d", what, idx);
    __begin(t, __mine(t), grace ? "phase" : "wait", name);
}

void
lr_trace_before_block(void *arg, const char *what, int node)
{
    (void)arg;
    if (lr_tracer != NULL || lr_trace_me != NULL)
        lr_trace_block_slow(true, what, node);
}

void
lr_trace_after_block(void *arg, const char *what, int node)
{
    (void)arg;
    if (lr_tracer != NULL || lr_trace_me != NULL)
        lr_trace_block_slow(false, what, node);
}

void
lr_trace_note_slow(bool request, lt_op op, int node, const char *table, int rc)
{
    lr_trace *t = lr_tracer;
    char name[96], args[96] = "";
    LR_TRACE_BEAT();

    if (lr_trace_me != NULL) {
        lr_trace_me->op = request ? lt_op_name(op) : NULL;
        lr_trace_me->table = table;
        lr_trace_me->node = node;
    }
    if (t == NULL)
        return;
    if (request) {
        snprintf(name, sizeof(name), "%s %s@%d", lt_op_name(op), table != NULL ? table : "-", node);
        __begin(t, __mine(t), "op", name);
        return;
    }
    lr_trace_arg(args, sizeof(args), "rc", rc == 0 ? "0" : lt_strerror(rc));
    __end(t, __mine(t), "op", args);
}

void
lr_trace_transition_slow(bool begin, bool up, int node, int rc)
{
    lr_trace *t = lr_tracer;
    lr_track *k;
    char name[64], args[96] = "";
    LR_TRACE_BEAT();

    if (lr_trace_me != NULL) {
        lr_trace_me->op = begin ? (up ? "step-up" : "step-down") : NULL;
        lr_trace_me->table = "node";
        lr_trace_me->node = node;
    }
    if (t == NULL || node < 0 || node >= LT_NODES_MAX)
        return;
    k = __mine(t);
    if (begin) {
        snprintf(name, sizeof(name), "%s node %d", up ? "step-up" : "step-down", node);
        __begin(t, k, "transition", name);
        (void)pthread_mutex_lock(&t->lk);
        t->tr_track[node] = (int)(k - t->tracks);
        (void)pthread_mutex_unlock(&t->lk);
        return;
    }
    (void)pthread_mutex_lock(&t->lk);
    t->tr_track[node] = -1;
    (void)pthread_mutex_unlock(&t->lk);
    lr_trace_arg(args, sizeof(args), "rc", rc == 0 ? "0" : lt_strerror(rc));
    __end(t, k, "transition", args);
}

void
lr_trace_violation_slow(int tid, const char *text)
{
    lr_trace *t = lr_tracer;
    char args[240] = "";

    lr_trace_arg(args, sizeof(args), "text", text);
    __instant(t, tid == -1 ? __mine(t) : __track(t, tid), "violation", "violation", args);
}

bool
lr_trace_seen(const char *text)
{
    lr_trace *t = lr_tracer;
    uint64_t i, n;
    bool seen = false;
    int j;

    for (j = 0; t != NULL && j < t->ntracks && !seen; j++) {
        (void)pthread_mutex_lock(&t->tracks[j].lk);
        n = t->tracks[j].ring == NULL ? 0 : t->tracks[j].n < t->cap ? t->tracks[j].n : t->cap;
        for (i = 0; i < n && !seen; i++)
            seen = t->tracks[j].ring[i].ph == 'i' &&
              strcmp(t->tracks[j].ring[i].cat, "violation") == 0 &&
              strstr(t->tracks[j].ring[i].args, text) != NULL;
        (void)pthread_mutex_unlock(&t->tracks[j].lk);
    }
    return (seen);
}

/* __flow -- an arrow from the transition running on node (if any) to the calling thread. */
static void
__flow(lr_trace *t, int node, const char *what)
{
    lr_track *from, *to = __mine(t);
    uint64_t id, ts;
    int tr;

    (void)pthread_mutex_lock(&t->lk);
    tr = node >= 0 && node < LT_NODES_MAX ? t->tr_track[node] : -1;
    id = ++t->flows;
    (void)pthread_mutex_unlock(&t->lk);
    if (tr < 0 || &t->tracks[tr] == to)
        return;
    from = &t->tracks[tr];
    ts = __now(t);
    (void)pthread_mutex_lock(&from->lk);
    __put(t, from, 's', ts, 0, "flow", what, NULL, id);
    (void)pthread_mutex_unlock(&from->lk);
    (void)pthread_mutex_lock(&to->lk);
    __put(t, to, 'f', ts, 0, "flow", what, NULL, id);
    (void)pthread_mutex_unlock(&to->lk);
}

void
lr_trace_event_slow(const lt_event *ev)
{
    static const char *const policies[] = {"reject", "wait", "assert", "off"};
    lr_trace *t = lr_tracer;
    lr_track *k;
    const char *tab = ev->table != NULL ? ev->table : "-";
    char name[96], args[200] = "";
    uint64_t now;

    if (t == NULL)
        return;
    k = __mine(t);
    snprintf(name, sizeof(name), "%s %s@%d", lt_op_name(ev->op), tab, ev->node);
    lr_trace_arg_i(args, sizeof(args), "generation", (int64_t)ev->generation);
    switch (ev->type) {
    case LT_EV_SCHEMA_BEGIN:
        snprintf(name, sizeof(name), "library %s %s@%d", lt_op_name(ev->op), tab, ev->node);
        __begin(t, k, "lib", name);
        return;
    case LT_EV_SCHEMA_END:
        lr_trace_arg(args, sizeof(args), "rc", ev->rc == 0 ? "0" : lt_strerror(ev->rc));
        __end(t, k, "lib", args);
        return;
    case LT_EV_ADMIT:
    case LT_EV_REJECT:
    case LT_EV_WAIT_BEGIN:
        lr_trace_arg(args, sizeof(args), "policy",
          (unsigned)t->policy < 4 ? policies[(unsigned)t->policy] : "?");
        lr_trace_arg(args, sizeof(args), "rc", ev->rc == 0 ? "0" : lt_strerror(ev->rc));
        snprintf(name, sizeof(name), "%s %s %s@%d%s%s",
          ev->type == LT_EV_ADMIT    ? "admit" :
            ev->type == LT_EV_REJECT ? "reject" :
                                       "wait",
          lt_op_name(ev->op), tab, ev->node, ev->rc != 0 ? " " : "",
          ev->rc != 0 ? lt_strerror(ev->rc) : "");
        __instant(t, k, "hook", name, args);
        if (ev->type == LT_EV_WAIT_BEGIN)
            __begin(t, k, "hook", "wait for the transition");
        if (ev->type != LT_EV_ADMIT)
            __flow(t, ev->node, ev->type == LT_EV_REJECT ? "rejected" : "delayed");
        return;
    case LT_EV_WAIT_END:
        lr_trace_arg(args, sizeof(args), "rc", ev->rc == 0 ? "0" : lt_strerror(ev->rc));
        __end(t, k, "hook", args);
        return;
    case LT_EV_SCHEMA_EFFECT:
        snprintf(name, sizeof(name), "effect %s %s@%d", lt_op_name(ev->op), tab, ev->node);
        __instant(t, k, "lib", name, args);
        return;
    case LT_EV_TRANSITION_BEGIN:
    case LT_EV_TRANSITION_FLIP:
        now = __now(t);
        (void)pthread_mutex_lock(&k->lk);
        k->phase_ts = now;
        __put(t, k, 'i', now, 0, "phase",
          ev->type == LT_EV_TRANSITION_BEGIN ? "transition published" : "publication: role flip",
          args, 0);
        (void)pthread_mutex_unlock(&k->lk);
        return;
    case LT_EV_DRAIN_TABLE:
        lr_trace_arg_i(args, sizeof(args), "rows", (int64_t)ev->count);
        snprintf(name, sizeof(name), "drain %s@%d", tab, ev->node);
        now = __now(t);
        (void)pthread_mutex_lock(&k->lk);
        __put(t, k, 'X', k->phase_ts, now - k->phase_ts, "phase", name, args, 0);
        k->phase_ts = now;
        (void)pthread_mutex_unlock(&k->lk);
        return;
    case LT_EV_TRANSITION_END:
        lr_trace_arg(args, sizeof(args), "rc", ev->rc == 0 ? "0" : lt_strerror(ev->rc));
        __instant(t, k, "phase", "transition end", args);
        return;
    case LT_EV_CHECKPOINT:
    case LT_EV_PICKUP:
    case LT_EV_GC:
    case LT_EV_STABLE_WRITE:
    default:
        lr_trace_arg_i(args, sizeof(args), "id", (int64_t)ev->id);
        __instant(t, k, "lib",
          ev->type == LT_EV_CHECKPOINT ? "checkpoint" :
            ev->type == LT_EV_PICKUP   ? "pickup" :
            ev->type == LT_EV_GC       ? "gc" :
                                         "stable write",
          args);
        return;
    }
}
