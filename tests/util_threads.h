/*
 * util_threads.h -- helpers for tests that hold a transition open or watch events (header only,
 * included by util.h).
 *
 * tu_evlog: an observer (cfg.observer = tu_evlog_observer, cfg.observer_arg = &log) that copies
 *   every event into an array under a mutex; tests look events up by type, op and node, and wait
 *   for one to appear. Ordering checks compare the events' seq numbers, never array indexes
 *   (two threads may append out of seq order).
 * tu_hold: a yield function (cfg.yield = tu_hold_yield, cfg.yield_arg = &hold) that, once armed
 *   with a site and a node, parks the first thread that reaches that site on that node until the
 *   test calls tu_hold_release (the harness's holds, common/hold.h). Every other call returns at
 *   once.
 * tu_async: run one library call on its own thread and wait for it with a timeout, so that a
 *   library that blocks where it must not makes the test fail instead of hang.
 */
#ifndef LAYERACE_TESTS_UTIL_THREADS_H
#define LAYERACE_TESTS_UTIL_THREADS_H

/* ---------------------------------------------------------------------------------------------
 * Event log.
 */
typedef struct {
    uint64_t seq;
    lt_event_type type;
    lt_op op;
    int node;
    lt_role role;
    uint64_t generation;
    char table[LT_NAME_MAX + 2];
    int has_table;
    int rc;
    uint64_t id, ts, count;
} tu_event;

typedef struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    tu_event *ev;
    size_t n, cap;
} tu_evlog;

static inline void
tu_evlog_init(tu_evlog *log)
{
    memset(log, 0, sizeof(*log));
    pthread_mutex_init(&log->mu, NULL);
    pthread_cond_init(&log->cv, NULL);
}

static inline void
tu_evlog_destroy(tu_evlog *log)
{
    free(log->ev);
    pthread_mutex_destroy(&log->mu);
    pthread_cond_destroy(&log->cv);
}

static inline void
tu_evlog_observer(void *arg, const lt_event *ev)
{
    tu_evlog *log = arg;
    tu_event *e;

    pthread_mutex_lock(&log->mu);
    if (log->n == log->cap) {
        log->cap = log->cap == 0 ? 256 : log->cap * 2;
        log->ev = realloc(log->ev, sizeof(tu_event) * log->cap);
    }
    e = &log->ev[log->n++];
    memset(e, 0, sizeof(*e));
    e->seq = ev->seq;
    e->type = ev->type;
    e->op = ev->op;
    e->node = ev->node;
    e->role = ev->role;
    e->generation = ev->generation;
    if (ev->table != NULL) {
        e->has_table = 1;
        snprintf(e->table, sizeof(e->table), "%s", ev->table);
    }
    e->rc = ev->rc;
    e->id = ev->id;
    e->ts = ev->ts;
    e->count = ev->count;
    pthread_cond_broadcast(&log->cv);
    pthread_mutex_unlock(&log->mu);
}

static inline void
tu_evlog_clear(tu_evlog *log)
{
    pthread_mutex_lock(&log->mu);
    log->n = 0;
    pthread_mutex_unlock(&log->mu);
}

#define TU_ANY (-1)

static inline int
tu_ev_match_(const tu_event *e, int type, int op, int node, const char *table)
{
    return (type == TU_ANY || (int)e->type == type) && (op == TU_ANY || (int)e->op == op) &&
      (node == TU_ANY || e->node == node) &&
      (table == NULL || (e->has_table && strcmp(e->table, table) == 0));
}

/*
 * Copy the first event at or after index from that matches (TU_ANY matches anything, table NULL
 * matches any table) into *out; returns its index or -1.
 */
static inline long
tu_evlog_find(tu_evlog *log, size_t from, int type, int op, int node, const char *table,
  tu_event *out)
{
    long found = -1;

    pthread_mutex_lock(&log->mu);
    for (size_t i = from; i < log->n; i++)
        if (tu_ev_match_(&log->ev[i], type, op, node, table)) {
            if (out != NULL)
                *out = log->ev[i];
            found = (long)i;
            break;
        }
    pthread_mutex_unlock(&log->mu);
    return found;
}

/* How many events match. */
static inline int
tu_evlog_count(tu_evlog *log, int type, int op, int node, const char *table)
{
    int n = 0;

    pthread_mutex_lock(&log->mu);
    for (size_t i = 0; i < log->n; i++)
        n += tu_ev_match_(&log->ev[i], type, op, node, table);
    pthread_mutex_unlock(&log->mu);
    return n;
}

/* Wait up to timeout_ms for a matching event; as tu_evlog_find. */
static inline long
tu_evlog_wait(tu_evlog *log, int type, int op, int node, const char *table, int timeout_ms,
  tu_event *out)
{
    struct timespec dl;
    long found = -1;

    lr_deadline_ms(&dl, (uint64_t)timeout_ms);
    pthread_mutex_lock(&log->mu);
    for (;;) {
        for (size_t i = 0; i < log->n; i++)
            if (tu_ev_match_(&log->ev[i], type, op, node, table)) {
                if (out != NULL)
                    *out = log->ev[i];
                found = (long)i;
                break;
            }
        if (found >= 0 || pthread_cond_timedwait(&log->cv, &log->mu, &dl) == ETIMEDOUT)
            break;
    }
    pthread_mutex_unlock(&log->mu);
    return found;
}

static inline void
tu_evlog_dump(tu_evlog *log)
{
    pthread_mutex_lock(&log->mu);
    for (size_t i = 0; i < log->n; i++) {
        tu_event *e = &log->ev[i];
        fprintf(stderr,
          "    ev %zu: seq %" PRIu64 " %s op %s node %d role %s gen %" PRIu64
          " table %s rc %d id %" PRIu64 " ts %" PRIu64 " count %" PRIu64 "\n",
          i, e->seq, lt_event_name(e->type), lt_op_name(e->op), e->node, lt_role_name(e->role),
          e->generation, e->has_table ? e->table : "-", e->rc, e->id, e->ts, e->count);
    }
    pthread_mutex_unlock(&log->mu);
}

/* ---------------------------------------------------------------------------------------------
 * Holding a thread at a yield site.
 */
typedef struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    lr_holds holds; /* common/hold.h, under mu and cv; one site armed at a time */
    char site[LR_HOLD_SITE_MAX];
    int hits; /* calls of the yield function, any site */
} tu_hold;

static inline void
tu_hold_init(tu_hold *h)
{
    memset(h, 0, sizeof(*h));
    pthread_mutex_init(&h->mu, NULL);
    pthread_cond_init(&h->cv, NULL);
    lr_holds_init(&h->holds, &h->mu, &h->cv);
}

static inline void
tu_hold_destroy(tu_hold *h)
{
    pthread_mutex_destroy(&h->mu);
    pthread_cond_destroy(&h->cv);
}

static inline void
tu_hold_yield(void *arg, const char *site, int node)
{
    tu_hold *h = arg;
    lr_hold *slot;

    pthread_mutex_lock(&h->mu);
    h->hits++;
    if ((slot = lr_holds_match(&h->holds, site, node)) != NULL)
        lr_holds_park(&h->holds, slot);
    pthread_mutex_unlock(&h->mu);
}

/* Arm site for node: the next thread there parks (a site name too long fails the test). */
static inline void
tu_hold_arm(tu_hold *h, const char *site, int node)
{
    int rc;

    pthread_mutex_lock(&h->mu);
    snprintf(h->site, sizeof(h->site), "%s", site);
    rc = lr_holds_arm(&h->holds, h->site, node);
    pthread_mutex_unlock(&h->mu);
    if (rc != 0)
        tu_fail(__FILE__, __LINE__, "cannot hold site \"%s\": %s", site, strerror(rc));
}

/* Wait until a thread is parked; 1 if it is, 0 after timeout_ms or once released. */
static inline int
tu_hold_wait_held(tu_hold *h, int timeout_ms)
{
    struct timespec dl;
    int held;

    lr_deadline_ms(&dl, (uint64_t)timeout_ms);
    pthread_mutex_lock(&h->mu);
    while (!lr_holds_held(&h->holds, h->site) && lr_holds_armed(&h->holds, h->site))
        if (pthread_cond_timedwait(&h->cv, &h->mu, &dl) == ETIMEDOUT)
            break;
    held = lr_holds_held(&h->holds, h->site);
    pthread_mutex_unlock(&h->mu);
    return held;
}

/* Let the parked thread (if any) go, and disarm. */
static inline void
tu_hold_release(tu_hold *h)
{
    pthread_mutex_lock(&h->mu);
    lr_holds_release(&h->holds, NULL);
    pthread_mutex_unlock(&h->mu);
}

/* ---------------------------------------------------------------------------------------------
 * One library call on its own thread.
 */
typedef enum {
    TU_OP_STEP_UP,
    TU_OP_STEP_DOWN,
    TU_OP_CREATE,
    TU_OP_DROP,
    TU_OP_TRUNCATE, /* begin a transaction at ts, truncate, commit (roll back on error) */
    TU_OP_CHECKPOINT,
    TU_OP_PICKUP,
    TU_OP_GC,
    TU_OP_FN /* fn(arg) */
} tu_op_kind;

typedef struct {
    tu_op_kind kind;
    lt_cluster *c;
    lt_session *s;
    int node;
    const char *name;
    uint64_t ts; /* truncate commit ts, checkpoint ts, pickup id */
    int (*fn)(void *);
    void *arg;

    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int started, done, joined;
    int rc;
    char err[512]; /* lt_last_error() of the thread, if rc != 0 */
    uint64_t t_start, t_end;
} tu_async;

static inline void *
tu_async_main_(void *arg)
{
    tu_async *a = arg;
    int rc;

    a->t_start = lr_now_ns();
    switch (a->kind) {
    case TU_OP_STEP_UP:
        rc = lt_step_up(a->c, a->node);
        break;
    case TU_OP_STEP_DOWN:
        rc = lt_step_down(a->c, a->node);
        break;
    case TU_OP_CREATE:
        rc = lt_create(a->s, a->name);
        break;
    case TU_OP_DROP:
        rc = lt_drop(a->s, a->name);
        break;
    case TU_OP_TRUNCATE: {
        lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, a->ts};
        if ((rc = lt_txn_begin(a->s, &tc)) != 0)
            break;
        if ((rc = lt_truncate(a->s, a->name)) != 0) {
            snprintf(a->err, sizeof(a->err), "%s", tu_lasterr());
            (void)lt_txn_rollback(a->s);
            goto out;
        }
        rc = lt_txn_commit(a->s, 0);
        break;
    }
    case TU_OP_CHECKPOINT:
        rc = lt_checkpoint(a->c, a->node, a->ts, NULL);
        break;
    case TU_OP_PICKUP:
        rc = lt_pickup(a->c, a->node, a->ts);
        break;
    case TU_OP_GC:
        rc = lt_gc(a->c, a->node, NULL);
        break;
    default:
        rc = a->fn(a->arg);
        break;
    }
    if (rc != 0)
        snprintf(a->err, sizeof(a->err), "%s", tu_lasterr());
out:
    a->t_end = lr_now_ns();
    pthread_mutex_lock(&a->mu);
    a->rc = rc;
    a->done = 1;
    pthread_cond_broadcast(&a->cv);
    pthread_mutex_unlock(&a->mu);
    return NULL;
}

static inline void
tu_async_start(tu_async *a, tu_op_kind kind, lt_cluster *c, lt_session *s, int node,
  const char *name, uint64_t ts)
{
    memset(a, 0, sizeof(*a));
    a->kind = kind;
    a->c = c;
    a->s = s;
    a->node = node;
    a->name = name;
    a->ts = ts;
    pthread_mutex_init(&a->mu, NULL);
    pthread_cond_init(&a->cv, NULL);
    if (pthread_create(&a->th, NULL, tu_async_main_, a) != 0) {
        fprintf(stderr, "pthread_create failed\n");
        exit(2);
    }
    a->started = 1;
}

/* Run fn(arg) on its own thread; tu_async_join returns its result. */
static inline void
tu_async_fn(tu_async *a, int (*fn)(void *), void *arg)
{
    memset(a, 0, sizeof(*a));
    a->kind = TU_OP_FN;
    a->fn = fn;
    a->arg = arg;
    pthread_mutex_init(&a->mu, NULL);
    pthread_cond_init(&a->cv, NULL);
    if (pthread_create(&a->th, NULL, tu_async_main_, a) != 0) {
        fprintf(stderr, "pthread_create failed\n");
        exit(2);
    }
    a->started = 1;
}

/* 1 if the call returned within timeout_ms. */
static inline int
tu_async_wait(tu_async *a, int timeout_ms)
{
    struct timespec dl;
    int done;

    lr_deadline_ms(&dl, (uint64_t)timeout_ms);
    pthread_mutex_lock(&a->mu);
    while (!a->done)
        if (pthread_cond_timedwait(&a->cv, &a->mu, &dl) == ETIMEDOUT)
            break;
    done = a->done;
    pthread_mutex_unlock(&a->mu);
    return done;
}

static inline int
tu_async_done(tu_async *a)
{
    int done;
    pthread_mutex_lock(&a->mu);
    done = a->done;
    pthread_mutex_unlock(&a->mu);
    return done;
}

/*
 * Join the thread and return the call's result. If it does not return within TU_HANG_MS the test
 * process cannot recover (a thread is stuck in the library): fail loudly and exit.
 */
static inline int
tu_async_join_(const char *file, int line, tu_async *a)
{
    if (!a->started || a->joined)
        return a->rc;
    if (!tu_async_wait(a, TU_HANG_MS)) {
        tu_fail(file, line, "a library call did not return within %d ms (hang)", TU_HANG_MS);
        fflush(NULL);
        _exit(1);
    }
    pthread_join(a->th, NULL);
    a->joined = 1;
    pthread_mutex_destroy(&a->mu);
    pthread_cond_destroy(&a->cv);
    return a->rc;
}
#define tu_async_join(a) tu_async_join_(__FILE__, __LINE__, (a))

#endif /* LAYERACE_TESTS_UTIL_THREADS_H */
