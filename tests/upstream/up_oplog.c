/*
 * up_oplog.c -- upstream's "oplog" tests: the leader and a follower apply the same log of
 * timestamped operations (as MongoDB replication does), the leader checkpoints, the follower
 * picks up, and both must agree; ingest garbage collection with a cursor held open.
 *
 * Re-expressed from wiredtiger/wiredtiger test/suite/ (read at these commits):
 *   test_layered23.py 081edd3fbc4698a83dc10a24bd86610e928f3b1a
 *   test_layered27.py 0252ac1d78d31b074392bf98a8f96f5b2bb82192
 *   test_layered37.py 164ed2b34c15aa790c6292bb9c269dd553f350d7
 *   test_layered38.py 00b098541756e8ed18150f3677ce2794ee296a3c
 * Upstream's Oplog helper (helper_disagg.py) is reconstructed, not copied: entry j commits at
 * timestamp j + 1 and inserts a fresh key, updates an existing one or removes one; "check" reads
 * every key the first n entries touched and compares with the log. Upstream's ingest-table row
 * counts become the row counts lt_gc reports. Sizes are upstream's unless noted.
 */
#include "up_util.h"

typedef struct {
    int key, op, ver; /* op: 0 put, 1 remove */
} entry;

typedef struct {
    entry *e;
    int n, cap, nkeys, next_upd, next_rm, vsize;
} oplog;

static void
add(oplog *o, int key, int op)
{
    if (o->n == o->cap) {
        o->cap = o->cap == 0 ? 1024 : o->cap * 2;
        o->e = realloc(o->e, sizeof(entry) * (size_t)o->cap);
    }
    o->e[o->n].key = key;
    o->e[o->n].op = op;
    o->e[o->n].ver = o->n;
    o->n++;
}

static void
op_insert(oplog *o, int n)
{
    for (int i = 0; i < n; i++)
        add(o, o->nkeys++, 0);
}

static void
op_update(oplog *o, int n)
{
    for (int i = 0; i < n; i++)
        add(o, o->next_upd++ % o->nkeys, 0);
}

static void
op_remove(oplog *o, int n)
{
    for (int i = 0; i < n; i++)
        add(o, o->next_rm++ % o->nkeys, 1);
}

static void
value(const oplog *o, int j, char *buf, size_t len)
{
    int w = snprintf(buf, len, "v%d-k%d-", o->e[j].ver, o->e[j].key);
    for (; w < o->vsize && (size_t)w + 1 < len; w++)
        buf[w] = 'x';
    buf[w < (int)len ? w : (int)len - 1] = '\0';
}

/* Apply entries [start, start + count) on s, each in its own transaction at its timestamp. */
static int
apply(const oplog *o, lt_session *s, int start, int count)
{
    char key[16], val[600];
    int rc;

    for (int j = start; j < start + count; j++) {
        snprintf(key, sizeof(key), "key%06d", o->e[j].key);
        value(o, j, val, sizeof(val));
        if ((rc = up_put(s, UP_T, key, o->e[j].op ? NULL : val, (uint64_t)j + 1)) != 0)
            return rc;
    }
    return 0;
}

/* After entries [0, upto): every key touched by [start, upto) reads as the log says. */
static int
check(const oplog *o, lt_session *s, int start, int upto)
{
    char key[16], val[600];
    int *last = malloc(sizeof(int) * (size_t)(o->nkeys + 1)), ok = 1;

    for (int k = 0; k <= o->nkeys; k++)
        last[k] = -1;
    for (int i = 0; i < upto; i++)
        last[o->e[i].key] = i;
    for (int j = start; j < upto && ok; j++) {
        if (last[o->e[j].key] != j)
            continue; /* check each key at its last entry */
        snprintf(key, sizeof(key), "key%06d", o->e[j].key);
        value(o, j, val, sizeof(val));
        ok = CHECK_GET(s, UP_T, key, o->e[j].op ? NULL : val);
    }
    free(last);
    return ok;
}

/*
 * test_layered23.py::test_leader_follower: the follower applies the log a little ahead of each
 * checkpoint it then picks up; reads agree at every step.
 */
static void
t23(const void *arg)
{
    oplog o = {0};
    up_env e;
    int lpos, fpos, ckpos;

    (void)arg;
    REQUIRE(up_env_open(&e, 1));
    op_insert(&o, 900), op_update(&o, 100), op_insert(&o, 900), op_update(&o, 100);
    REQUIRE_OK(apply(&o, e.s0, 0, 2000));
    CHECK(check(&o, e.s0, 0, 2000));
    REQUIRE(tu_checkpoint(e.c, 0, (uint64_t)o.n) != 0);
    op_insert(&o, 900), op_update(&o, 100);
    REQUIRE_OK(apply(&o, e.s0, 2000, 1000));
    CHECK(check(&o, e.s0, 0, 3000));
    if (!CHECK_OK(apply(&o, e.s1, 0, 2100)))
        goto done;
    CHECK(check(&o, e.s1, 0, 2100));
    CHECK_OK(lt_pickup(e.c, 1, 0));
    CHECK(check(&o, e.s1, 0, 2100));
    lpos = 3000, fpos = 2100;
    for (int i = 1; i < 10; i++) {
        REQUIRE(tu_checkpoint(e.c, 0, (uint64_t)o.n) != 0);
        ckpos = lpos;
        if (i % 3 != 0) {
            op_insert(&o, 900), op_update(&o, 100);
            REQUIRE_OK(apply(&o, e.s0, lpos, 1000));
            lpos += 1000;
        }
        int fnew = fpos < lpos - 900 ? fpos : lpos - 900;
        fnew = fnew > ckpos ? fnew : ckpos;
        if (!CHECK_OK(apply(&o, e.s1, fpos, fnew - fpos)))
            break;
        fpos = fnew;
        CHECK(check(&o, e.s1, 0, fpos));
        CHECK_OK(lt_pickup(e.c, 1, 0));
        CHECK(check(&o, e.s1, 0, fpos));
    }
done:
    free(o.e);
}

/*
 * test_layered27.py::test_drain_insert: the follower applies the whole log, picks up, steps up
 * after the leader steps down and checkpoints; a fresh node sees the whole log (upstream reopens
 * the new leader as a follower).
 */
static void
t27(const void *arg)
{
    lt_cluster *c = tu_open(3);
    lt_session *s0, *s1, *s2;
    oplog o = {0};

    (void)arg;
    REQUIRE(c != NULL && (s0 = tu_session(c, 0)) != NULL && (s1 = tu_session(c, 1)) != NULL);
    REQUIRE((s2 = tu_session(c, 2)) != NULL);
    REQUIRE_OK(lt_create(s0, UP_T));
    REQUIRE_OK(lt_create(s1, UP_T));
    op_insert(&o, 100);
    REQUIRE_OK(apply(&o, s0, 0, 100));
    REQUIRE(tu_checkpoint(c, 0, (uint64_t)o.n) != 0);
    op_insert(&o, 100), op_update(&o, 200);
    REQUIRE_OK(apply(&o, s0, 100, 300));
    CHECK(check(&o, s0, 0, 400));
    if (CHECK_OK(apply(&o, s1, 0, 400))) {
        CHECK(check(&o, s1, 0, 400));
        CHECK_OK(lt_pickup(c, 1, 0));
        CHECK(check(&o, s1, 0, 400));
        CHECK_OK(lt_step_down(c, 0));
        CHECK_OK(lt_step_up(c, 1));
        CHECK(tu_checkpoint(c, 1, (uint64_t)o.n) != 0);
        CHECK_OK(lt_pickup(c, 2, 0));
        CHECK(check(&o, s2, 0, 400));
    }
    free(o.e);
}

/*
 * test_layered37.py::test_ping_ingest_table: a reader pinned at a timestamp keeps scanning its
 * view while the log removes everything, the leader checkpoints, the follower picks up and
 * collects garbage (upstream: 20,000 rows; here 2,000).
 */
static void
t37(const void *arg)
{
    const int n = 2000;
    oplog o = {0};
    up_env e;
    lt_session *s2;
    lt_cursor *cur;
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, 0};
    int count = 1;

    (void)arg;
    REQUIRE(up_env_open(&e, 1) && (s2 = tu_session(e.c, 1)) != NULL);
    op_insert(&o, n);
    REQUIRE_OK(apply(&o, e.s0, 0, n));
    REQUIRE_OK(apply(&o, e.s1, 0, n));
    CHECK(check(&o, e.s1, 0, n));
    tc.read_ts = (uint64_t)n;
    REQUIRE_OK(lt_txn_begin(s2, &tc));
    REQUIRE_OK(lt_cursor_open(s2, UP_T, NULL, &cur));
    CHECK_OK(lt_cursor_next(cur));
    op_remove(&o, n);
    REQUIRE_OK(apply(&o, e.s0, n, n));
    REQUIRE(tu_checkpoint(e.c, 0, (uint64_t)o.n) != 0);
    if (CHECK_OK(apply(&o, e.s1, n, n))) {
        CHECK(check(&o, e.s1, n, 2 * n));
        CHECK_OK(lt_pickup(e.c, 1, 0));
        CHECK_OK(lt_gc(e.c, 1, NULL));
        while (lt_cursor_next(cur) == 0)
            count++;
        CHECK_EQ(count, n);
    }
    lt_cursor_close(cur);
    lt_txn_rollback(s2);
    free(o.e);
}

/*
 * Upstream's ingest GC needs no oldest timestamp: its checkpoints keep history. WiredTiger 3.2.1's
 * named checkpoints do not, so a node serves reads below its checkpoint from older checkpoints and
 * its ingest, and GC frees only what the node's oldest timestamp lets go (layered/DESIGN.md): the
 * follower moves its oldest timestamp to the checkpoint's before collecting.
 */
static void
up_follower_oldest(lt_cluster *c, uint64_t ts)
{
    char cfg[64];

    (void)snprintf(cfg, sizeof(cfg), "oldest_timestamp=%" PRIx64, ts);
    CHECK_OK(lt_node_set_timestamp(c, 1, cfg));
}

/*
 * test_layered38.py::test_gc_ingest_table: once a checkpoint holds everything, ingest GC removes
 * the follower's rows, but not while a cursor opened before the pickup is held.
 */
static void
t38(const void *arg)
{
    const int n = 1000;
    oplog o = {.vsize = 500};
    up_env e;
    lt_session *s2;
    lt_cursor *hold;
    uint64_t removed = 99;

    (void)arg;
    REQUIRE(up_env_open(&e, 1) && (s2 = tu_session(e.c, 1)) != NULL);
    op_insert(&o, n);
    REQUIRE_OK(apply(&o, e.s0, 0, n));
    REQUIRE_OK(apply(&o, e.s1, 0, n));
    CHECK(check(&o, e.s1, 0, n));
    REQUIRE_OK(lt_cursor_open(s2, UP_T, NULL, &hold));
    CHECK_OK(lt_cursor_next(hold));
    REQUIRE(tu_checkpoint(e.c, 0, (uint64_t)n) != 0);
    REQUIRE_OK(lt_pickup(e.c, 1, 0));
    CHECK(check(&o, e.s1, 0, n));
    up_follower_oldest(e.c, (uint64_t)n);
    CHECK_OK(lt_gc(e.c, 1, &removed));
    CHECK_EQ(removed, 0);
    CHECK_OK(lt_cursor_close(hold));
    CHECK_OK(lt_gc(e.c, 1, &removed));
    CHECK_EQ(removed, n);
    CHECK(check(&o, e.s1, 0, n));
    free(o.e);
}

/*
 * test_layered38.py::test_gc_ingest_table_with_remove: inserts then removes of every key; a
 * checkpoint at the inserts' end makes only the inserts redundant; a held cursor stops GC; a
 * checkpoint past the removes lets GC empty the follower's ingest. (Upstream counts ingest rows
 * at each step; here: nothing goes while a cursor is held, something goes at the end, and the
 * table reads empty throughout.)
 */
static void
t38_remove(const void *arg)
{
    const int n = 1000;
    oplog o = {.vsize = 500};
    up_env e;
    lt_session *s2;
    lt_cursor *hold;
    uint64_t removed = 99, total = 0;

    (void)arg;
    REQUIRE(up_env_open(&e, 1) && (s2 = tu_session(e.c, 1)) != NULL);
    op_insert(&o, n);
    op_remove(&o, n);
    REQUIRE_OK(apply(&o, e.s0, 0, 2 * n));
    REQUIRE_OK(apply(&o, e.s1, 0, 2 * n));
    CHECK(check(&o, e.s1, 0, 2 * n));
    REQUIRE_OK(lt_cursor_open(s2, UP_T, NULL, &hold));
    CHECK_RC(lt_cursor_next(hold), WT_NOTFOUND);
    REQUIRE(tu_checkpoint(e.c, 0, (uint64_t)n) != 0);
    REQUIRE_OK(lt_pickup(e.c, 1, 0));
    CHECK(check(&o, e.s1, 0, 2 * n));
    up_follower_oldest(e.c, (uint64_t)n);
    CHECK_OK(lt_gc(e.c, 1, &removed));
    CHECK_OK(lt_cursor_close(hold));
    CHECK_OK(lt_gc(e.c, 1, &removed));
    total += removed;
    CHECK(check(&o, e.s1, 0, 2 * n));
    REQUIRE_OK(lt_cursor_open(s2, UP_T, NULL, &hold));
    CHECK_RC(lt_cursor_next(hold), WT_NOTFOUND);
    REQUIRE(tu_checkpoint(e.c, 0, (uint64_t)o.n) != 0);
    REQUIRE_OK(lt_pickup(e.c, 1, 0));
    CHECK(check(&o, e.s1, 0, 2 * n));
    up_follower_oldest(e.c, (uint64_t)o.n);
    CHECK_OK(lt_gc(e.c, 1, &removed));
    CHECK_OK(lt_cursor_close(hold));
    CHECK_OK(lt_pickup(e.c, 1, 0));
    CHECK_OK(lt_gc(e.c, 1, &removed));
    total += removed;
    CHECK_GT(total, 0);
    CHECK_EQ(up_count(e.s1, UP_T, 1), 0);
    free(o.e);
}

/*
 * test_layered38.py::test_gc_ingest_with_cursor: the leader checkpoints before the follower
 * applies the same entries; a cursor is held across the pickup.
 */
static void
t38_cursor(const void *arg)
{
    const int n = 1000;
    oplog o = {.vsize = 500};
    up_env e;
    lt_session *s2;
    lt_cursor *hold;

    (void)arg;
    REQUIRE(up_env_open(&e, 1) && (s2 = tu_session(e.c, 1)) != NULL);
    op_insert(&o, n);
    REQUIRE_OK(apply(&o, e.s0, 0, n));
    CHECK(check(&o, e.s0, 0, n));
    REQUIRE(tu_checkpoint(e.c, 0, (uint64_t)n) != 0);
    if (CHECK_OK(apply(&o, e.s1, 0, n))) {
        CHECK(check(&o, e.s1, 0, n));
        REQUIRE_OK(lt_cursor_open(s2, UP_T, NULL, &hold));
        CHECK_OK(lt_cursor_next(hold));
        CHECK_OK(lt_pickup(e.c, 1, 0));
        CHECK(check(&o, e.s1, 0, n));
        CHECK_OK(lt_cursor_close(hold));
        CHECK_OK(lt_pickup(e.c, 1, 0));
    }
    free(o.e);
}

static const up_case cases[] = {
  {"test_layered23.py::test_leader_follower", t23, NULL},
  {"test_layered27.py::test_drain_insert", t27, NULL},
  {"test_layered37.py::test_ping_ingest_table", t37, NULL},
  {"test_layered38.py::test_gc_ingest_table", t38, NULL},
  {"test_layered38.py::test_gc_ingest_table_with_remove", t38_remove, NULL},
  {"test_layered38.py::test_gc_ingest_with_cursor", t38_cursor, NULL},
};

int
main(int argc, char **argv)
{
    return up_main(cases, UP_NELEM(cases), "up_oplog", argc, argv);
}
