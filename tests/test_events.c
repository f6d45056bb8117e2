/*
 * test_events.c -- the observer (docs/CONTRACT.md#events): every schema operation reports begin,
 * admission, effect (only when something changed) and end, with one op id and increasing global
 * sequence numbers; transitions report begin, flip, drained tables and end; checkpoints, pickups,
 * GC and leader commits report their ids, timestamps and counts. Single-threaded, so the log
 * order is the sequence order.
 */
#include "util.h"

static lt_cluster *
open_logged(tu_evlog *log, int nodes)
{
    lt_cluster_config cfg;
    lt_cluster *c;

    tu_evlog_init(log);
    tu_config(&cfg, nodes);
    cfg.observer = tu_evlog_observer;
    cfg.observer_arg = log;
    c = tu_open_cfg(&cfg);
    tu_evlog_clear(log);
    return c;
}

/*
 * The events of one schema op (from index from): types in order, strictly increasing seq, one
 * op id, the table and node; returns the index after the last one or -1.
 */
static long
check_schema_events(const char *file, int line, tu_evlog *log, size_t from, lt_op op, int node,
  const char *table, const int *types, int ntypes, int end_rc)
{
    tu_event ev, first;
    long at = (long)from;

    memset(&first, 0, sizeof(first));
    uint64_t prev = 0;

    for (int i = 0; i < ntypes; i++) {
        long k = tu_evlog_find(log, (size_t)at, types[i], op, node, table, &ev);
        if (k < 0) {
            tu_fail(file, line, "missing %s of %s %s on node %d", lt_event_name(types[i]),
              lt_op_name(op), table, node);
            tu_evlog_dump(log);
            return -1;
        }
        if (i == 0)
            first = ev;
        else if (ev.id != first.id) {
            tu_fail(file, line, "%s has op id %" PRIu64 ", begin had %" PRIu64,
              lt_event_name(types[i]), ev.id, first.id);
            return -1;
        }
        if (ev.seq <= prev) {
            tu_fail(file, line, "%s seq %" PRIu64 " not after %" PRIu64, lt_event_name(types[i]),
              ev.seq, prev);
            return -1;
        }
        prev = ev.seq;
        if (types[i] == LT_EV_SCHEMA_END && ev.rc != end_rc) {
            tu_fail(file, line, "SCHEMA_END rc %s, expected %s", tu_rcname(ev.rc),
              tu_rcname(end_rc));
            return -1;
        }
        at = k + 1;
    }
    return at;
}
#define CHECK_SCHEMA_EVENTS(log, from, op, node, table, types, end_rc)                     \
    check_schema_events(__FILE__, __LINE__, (log), (from), (op), (node), (table), (types), \
      (int)(sizeof(types) / sizeof((types)[0])), (end_rc))

static const int ok_types[] = {LT_EV_SCHEMA_BEGIN, LT_EV_ADMIT, LT_EV_SCHEMA_EFFECT,
  LT_EV_SCHEMA_END};
static const int noeffect_types[] = {LT_EV_SCHEMA_BEGIN, LT_EV_ADMIT, LT_EV_SCHEMA_END};

static void
test_schema_events(void)
{
    tu_evlog log;
    lt_cluster *c = open_logged(&log, 2);
    lt_session *s;
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, 30};
    lt_node_info info;
    tu_event ev, ev2;
    long at;

    REQUIRE(c != NULL);
    REQUIRE((s = tu_session(c, 0)) != NULL);
    REQUIRE_OK(lt_node_get_info(c, 0, &info));

    CHECK_OK(lt_create(s, "t"));
    CHECK((at = CHECK_SCHEMA_EVENTS(&log, 0, LT_OP_CREATE, 0, "t", ok_types, 0)) > 0);
    CHECK(tu_evlog_find(&log, 0, LT_EV_SCHEMA_EFFECT, LT_OP_CREATE, 0, "t", &ev) >= 0 &&
      ev.role == LT_LEADER && ev.generation == info.generation);

    tu_evlog_clear(&log);
    CHECK_RC(lt_create_cfg(s, "t", "exclusive=true"), EEXIST); /* no effect */
    CHECK(CHECK_SCHEMA_EVENTS(&log, 0, LT_OP_CREATE, 0, "t", noeffect_types, EEXIST) > 0);
    CHECK_EQ(tu_evlog_count(&log, LT_EV_SCHEMA_EFFECT, TU_ANY, TU_ANY, NULL), 0);

    tu_evlog_clear(&log);
    REQUIRE_OK(lt_txn_begin(s, &tc));
    CHECK_OK(lt_truncate(s, "t"));
    CHECK_OK(lt_txn_commit(s, 0));
    CHECK(CHECK_SCHEMA_EVENTS(&log, 0, LT_OP_TRUNCATE, 0, "t", ok_types, 0) > 0);

    tu_evlog_clear(&log);
    CHECK_OK(lt_create(s, "u"));
    CHECK_OK(lt_drop(s, "t"));
    CHECK(CHECK_SCHEMA_EVENTS(&log, 0, LT_OP_DROP, 0, "t", ok_types, 0) > 0);
    /* Two operations, two ids. */
    CHECK(tu_evlog_find(&log, 0, LT_EV_SCHEMA_BEGIN, LT_OP_CREATE, 0, "u", &ev) >= 0 &&
      tu_evlog_find(&log, 0, LT_EV_SCHEMA_BEGIN, LT_OP_DROP, 0, "t", &ev2) >= 0 &&
      ev.id != ev2.id && ev.seq < ev2.seq);

    tu_evlog_clear(&log);
    CHECK_RC(lt_drop(s, "t"), ENOENT);
    CHECK(CHECK_SCHEMA_EVENTS(&log, 0, LT_OP_DROP, 0, "t", noeffect_types, ENOENT) > 0);
    CHECK_EQ(tu_evlog_count(&log, LT_EV_SCHEMA_EFFECT, TU_ANY, TU_ANY, NULL), 0);
    CHECK_OK(tu_close(c));
    tu_evlog_destroy(&log);
}

static void
test_transition_and_data_events(void)
{
    tu_evlog log;
    lt_cluster *c = open_logged(&log, 3);
    lt_session *s0, *s1;
    lt_node_info i0, i1;
    tu_event ev, b, f, e;
    uint64_t id, removed = 0;

    REQUIRE(c != NULL);
    REQUIRE((s0 = tu_session(c, 0)) != NULL);
    REQUIRE((s1 = tu_session(c, 1)) != NULL);
    REQUIRE_OK(lt_create(s0, "t"));
    tu_evlog_clear(&log);

    /* A leader commit writes stable; checkpoint; pickup. */
    CHECK_OK(tu_write(s0, "t", 10, "a=1"));
    CHECK(tu_evlog_find(&log, 0, LT_EV_STABLE_WRITE, TU_ANY, 0, NULL, &ev) >= 0 && ev.ts == 10);
    REQUIRE((id = tu_checkpoint(c, 0, 20)) != 0);
    CHECK(tu_evlog_find(&log, 0, LT_EV_CHECKPOINT, LT_OP_CHECKPOINT, 0, NULL, &ev) >= 0 &&
      ev.id == id && ev.ts == 20);
    CHECK_OK(lt_pickup(c, 1, id));
    CHECK(tu_evlog_find(&log, 0, LT_EV_PICKUP, LT_OP_PICKUP, 1, NULL, &ev) >= 0 && ev.id == id &&
      ev.ts == 20);
    CHECK_OK(lt_pickup(c, 2, id));

    /* A follower commit does not write stable (the quiet case of STABLE_WRITE). */
    tu_evlog_clear(&log);
    CHECK_OK(tu_write(s1, "t", 30, "b=2 c=3"));
    CHECK_EQ(tu_evlog_count(&log, LT_EV_STABLE_WRITE, TU_ANY, TU_ANY, NULL), 0);

    /* Step-down of 0: begin, flip, end, in order; the flip bumps the generation. */
    REQUIRE_OK(lt_node_get_info(c, 0, &i0));
    REQUIRE_OK(lt_step_down(c, 0));
    CHECK(tu_evlog_find(&log, 0, LT_EV_TRANSITION_BEGIN, LT_OP_STEP_DOWN, 0, NULL, &b) >= 0 &&
      tu_evlog_find(&log, 0, LT_EV_TRANSITION_FLIP, LT_OP_STEP_DOWN, 0, NULL, &f) >= 0 &&
      tu_evlog_find(&log, 0, LT_EV_TRANSITION_END, LT_OP_STEP_DOWN, 0, NULL, &e) >= 0 &&
      b.seq < f.seq && f.seq < e.seq && f.generation == i0.generation + 1 &&
      e.role == LT_FOLLOWER && e.rc == 0);

    /* Step-up of 1: begin, flip, the drain of t (2 rows), end. */
    tu_evlog_clear(&log);
    REQUIRE_OK(lt_node_get_info(c, 1, &i1));
    REQUIRE_OK(lt_step_up(c, 1));
    CHECK(tu_evlog_find(&log, 0, LT_EV_TRANSITION_BEGIN, LT_OP_STEP_UP, 1, NULL, &b) >= 0 &&
      tu_evlog_find(&log, 0, LT_EV_TRANSITION_FLIP, LT_OP_STEP_UP, 1, NULL, &f) >= 0 &&
      tu_evlog_find(&log, 0, LT_EV_DRAIN_TABLE, TU_ANY, 1, "t", &ev) >= 0 &&
      tu_evlog_find(&log, 0, LT_EV_TRANSITION_END, LT_OP_STEP_UP, 1, NULL, &e) >= 0 &&
      b.seq < f.seq && f.seq < ev.seq && ev.seq < e.seq && ev.count == 2 &&
      f.generation == i1.generation + 1 && e.role == LT_LEADER && e.rc == 0);

    /* GC reports what it removed. */
    REQUIRE((id = tu_checkpoint(c, 1, 40)) != 0);
    CHECK_OK(lt_pickup(c, 0, id));
    CHECK_OK(lt_pickup(c, 2, id));
    tu_evlog_clear(&log);
    CHECK_OK(lt_gc(c, 2, &removed));
    CHECK(tu_evlog_find(&log, 0, LT_EV_GC, LT_OP_GC, 2, NULL, &ev) >= 0 && ev.count == removed);

    /* Every event has a distinct, increasing sequence number (one thread: log order). */
    {
        uint64_t prev = 0;
        int ok = 1;
        pthread_mutex_lock(&log.mu);
        for (size_t i = 0; i < log.n; i++) {
            ok &= log.ev[i].seq > prev;
            prev = log.ev[i].seq;
        }
        pthread_mutex_unlock(&log.mu);
        CHECK(ok);
    }
    CHECK_OK(tu_close(c));
    tu_evlog_destroy(&log);
}

/* Sequence numbers are global: events from concurrent threads never share one. */
typedef struct {
    lt_cluster *c;
    int node;
} worker_arg;

static int
worker(void *arg)
{
    worker_arg *w = arg;
    lt_session *s;
    char name[32];
    int rc = 0;

    if ((rc = lt_session_open(w->c, w->node, &s)) != 0)
        return rc;
    for (int i = 0; i < 20 && rc == 0; i++) {
        snprintf(name, sizeof(name), "w%d_%d", w->node, i);
        if ((rc = lt_create(s, name)) == 0)
            rc = lt_drop(s, name);
    }
    lt_session_close(s);
    return rc;
}

static void
test_seq_unique_across_threads(void)
{
    tu_evlog log;
    lt_cluster *c = open_logged(&log, 3);
    tu_async a[3];
    worker_arg w[3];
    uint64_t *seqs;
    size_t n;
    int dup = 0;

    REQUIRE(c != NULL);
    for (int i = 0; i < 3; i++) {
        w[i].c = c;
        w[i].node = i;
        tu_async_fn(&a[i], worker, &w[i]);
    }
    for (int i = 0; i < 3; i++)
        CHECK_OK(tu_async_join(&a[i]));
    pthread_mutex_lock(&log.mu);
    n = log.n;
    seqs = malloc(sizeof(uint64_t) * (n + 1));
    for (size_t i = 0; i < n; i++)
        seqs[i] = log.ev[i].seq;
    pthread_mutex_unlock(&log.mu);
    CHECK_GE(n, 3 * 20 * 2 * 4);
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            dup += seqs[i] == seqs[j];
    CHECK_EQ(dup, 0);
    free(seqs);
    CHECK_OK(tu_close(c));
    tu_evlog_destroy(&log);
}

int
main(void)
{
    TU_RUN(test_schema_events);
    TU_RUN(test_transition_and_data_events);
    TU_RUN(test_seq_unique_across_threads);
    return tu_finish();
}
