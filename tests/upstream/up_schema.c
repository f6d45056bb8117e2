/*
 * up_schema.c -- upstream's tests of tables across nodes: create on a follower, drop, empty
 * tables, many tables, step-up of a follower that created tables, duplicate keys, pinned
 * checkpoints, follower-only tables.
 *
 * Re-expressed from wiredtiger/wiredtiger test/suite/ (read at these commits):
 *   test_layered26.py 22f4273467a0da7b7b91e021e7e1f37dc71ccdfd
 *   test_layered28.py 139eb29f7a1749b1128a823214be600a7f947763
 *   test_layered29.py 29288cf2951179c6f412d7f4fdf690d94e144a0d
 *   test_layered30.py 492ac4e094000d302eb2d50528ef414c7a0671a5
 *   test_layered31.py 0125981153457eae55f7d31fb0b6a6e30b017be0
 *   test_layered33.py 049c4229cd8a766bab43102486411152b7f82f28
 *   test_layered36.py 323a0e89d539b2d023a408c3dde5984640726f82
 *   test_layered41.py 1a116fd1cbb5c737359f1ab57b29bf3fe811a9da
 *   test_layered46.py 616d230ae949584747a53252a4d2706cc4e2f450
 *   test_layered47.py 6544f213a6f8634bc5dd421db3399f491dbc30fa
 *   test_layered49.py 4824b107c73eb89f077d66d660b69ff06128267c
 *   test_layered52.py 1d7a8ef5ca81ef97d5735adab9bcef3928225d6d
 *   test_layered56.py 63b6a20f61e431dc59ffb1ea3f7bd1d2c32073dd (a copy of test_layered49)
 *   test_layered61.py 0094bbe327951d967e8f961066d46bbb86fd38ec
 *   test_layered77.py 2262a6d155c3ef4a74d8a80912ef780476ff21ba
 *   test_layered80.py 09117615eccef6f6be4b1b3ec1851c36359a733e
 * Upstream restarts and metadata inspections become a node that picks up the checkpoint.
 */
#include "up_util.h"

/* Write "<key>=<prefix><key>" for integer string keys [lo, hi), each at the next tick. */
static int
put_n(lt_session *s, const char *table, int lo, int hi, const char *prefix, up_clock *k)
{
    char key[16], val[64];
    int rc;

    for (int i = lo; i < hi; i++) {
        snprintf(key, sizeof(key), "%d", i);
        snprintf(val, sizeof(val), "%s%d", prefix, i);
        if ((rc = up_put(s, table, key, val, up_tick(k))) != 0)
            return rc;
    }
    return 0;
}

/* Every key [lo, hi) reads "<prefix><key>" through one cursor (exercises a held cursor). */
static void
check_n(lt_cursor *cur, int lo, int hi, int step, const char *prefix)
{
    char key[16], val[64], got[128];

    for (int i = lo; i < hi; i += step) {
        snprintf(key, sizeof(key), "%d", i);
        snprintf(val, sizeof(val), "%s%d", prefix, i);
        lt_cursor_set_key(cur, key);
        if (CHECK_OK(lt_cursor_search(cur)))
            CHECK_EQ_STR(up_val(cur, got, sizeof(got)), val);
    }
}

/* test_layered26.py::test_layered26: a follower's table gets the stable rows at pickup. */
static void
t26(const void *arg)
{
    lt_cluster *c = tu_open(2);
    lt_session *s0, *s1;
    up_clock k = {0};

    (void)arg;
    REQUIRE(c != NULL && (s0 = tu_session(c, 0)) != NULL && (s1 = tu_session(c, 1)) != NULL);
    REQUIRE_OK(lt_create(s0, UP_T));
    CHECK_OK(lt_create(s1, UP_T));
    REQUIRE_OK(put_n(s0, UP_T, 0, 1000, "aaa", &k));
    REQUIRE(tu_checkpoint(c, 0, 0) != 0);
    CHECK_EQ(up_count(s0, UP_T, 1), 1000);
    CHECK_EQ(up_count(s1, UP_T, 1), 0);
    CHECK_OK(lt_pickup(c, 1, 0));
    CHECK_EQ(up_count(s1, UP_T, 1), 1000);
}

/*
 * test_layered28.py::test_create_drop / test_create_drop_checkpoint [layered-prefix]: after a
 * drop on the leader the table cannot be opened, and the next checkpoint no longer has it.
 */
static void
t28_leader(const void *arg)
{
    lt_cluster *c = tu_open(2);
    lt_session *s0, *sx, *s1;
    lt_cursor *cur = NULL;
    up_clock k = {0};

    REQUIRE(c != NULL && (s0 = tu_session(c, 0)) != NULL && (s1 = tu_session(c, 1)) != NULL);
    /* The _checkpoint variant creates through a second session that it closes after the drop. */
    sx = arg != NULL ? tu_session(c, 0) : s0;
    REQUIRE(sx != NULL);
    REQUIRE_OK(lt_create(sx, UP_T));
    REQUIRE_OK(put_n(s0, UP_T, 0, 1000, "", &k));
    REQUIRE(tu_checkpoint(c, 0, 0) != 0);
    CHECK_OK(lt_drop(s0, UP_T));
    if (sx != s0)
        CHECK_OK(lt_session_close(sx));
    CHECK_ERR(lt_cursor_open(s0, UP_T, NULL, &cur));
    REQUIRE(tu_checkpoint(c, 0, 0) != 0);
    CHECK_OK(lt_pickup(c, 1, 0));
    CHECK_EQ(tu_exists(s1, UP_T), 0);
}

/* test_layered28.py::test_create_drop_follower: a follower drops its table; the leader keeps it. */
static void
t28_follower(const void *arg)
{
    lt_cluster *c = tu_open(2);
    lt_session *s0, *s1;
    lt_cursor *cur = NULL;
    up_clock k = {0};

    (void)arg;
    REQUIRE(c != NULL && (s0 = tu_session(c, 0)) != NULL && (s1 = tu_session(c, 1)) != NULL);
    REQUIRE_OK(lt_create(s0, UP_T));
    REQUIRE_OK(put_n(s0, UP_T, 0, 1000, "", &k));
    REQUIRE(tu_checkpoint(c, 0, 0) != 0);
    REQUIRE_OK(lt_pickup(c, 1, 0));
    CHECK_OK(lt_drop(s1, UP_T));
    CHECK_ERR(lt_cursor_open(s1, UP_T, NULL, &cur));
    CHECK_EQ(tu_exists(s0, UP_T), 1);
}

/* test_layered29.py::test_create_tables: many layered tables (upstream: 10,000; here 200). */
static void
t29(const void *arg)
{
    lt_cluster *c = tu_open(2);
    lt_session *s;
    char name[32];

    (void)arg;
    REQUIRE(c != NULL && (s = tu_session(c, 0)) != NULL);
    for (int i = 0; i < 200; i++) {
        snprintf(name, sizeof(name), "test_table%d", i);
        if (!CHECK_OK(lt_create(s, name)))
            return;
    }
}

/* test_layered30.py::test_layered30[one-table|two-tables]: an empty table reaches a follower. */
static void
t30(const void *arg)
{
    lt_cluster *c = tu_open(2);
    lt_session *s0, *s1;

    REQUIRE(c != NULL && (s0 = tu_session(c, 0)) != NULL && (s1 = tu_session(c, 1)) != NULL);
    REQUIRE_OK(lt_create(s0, UP_T));
    if (arg != NULL) {
        REQUIRE_OK(lt_create(s0, "tx"));
        REQUIRE_OK(up_put(s0, "tx", "a", "b", 1));
    }
    REQUIRE(tu_checkpoint(c, 0, 1) != 0);
    REQUIRE_OK(lt_pickup(c, 1, 0));
    CHECK_EQ(tu_exists(s1, UP_T), 1);
    CHECK_EQ(up_count(s1, UP_T, 1), 0);
}

/*
 * test_layered31.py::test_layered31: follower cursors after pickups: read normally, kept open
 * across a pickup then closed and reopened, and reset after a pickup.
 */
static void
t31(const void *arg)
{
    static const char *const tables[] = {"t31a", "t31b"};
    static const char *const prefix[] = {"---", "aaa", "bbb", "ccc"};
    lt_cluster *c = tu_open(2);
    lt_session *s0, *s1;
    lt_cursor *held[2] = {NULL, NULL};
    up_clock k = {0};

    (void)arg;
    REQUIRE(c != NULL && (s0 = tu_session(c, 0)) != NULL && (s1 = tu_session(c, 1)) != NULL);
    for (int t = 0; t < 2; t++)
        REQUIRE_OK(lt_create(s0, tables[t]));
    for (int v = 0; v < 4; v++) {
        for (int t = 0; t < 2; t++)
            REQUIRE_OK(put_n(s0, tables[t], 0, 500, prefix[v], &k));
        REQUIRE(tu_checkpoint(c, 0, 0) != 0);
        REQUIRE_OK(lt_pickup(c, 1, 0));
        for (int t = 0; t < 2; t++) {
            if (v == 3) /* part 3: reset the held cursor and reuse it */
                CHECK_OK(lt_cursor_reset(held[t]));
            else { /* setup, part 1 (keep open), part 2 (close and reopen) */
                lt_cursor_close(held[t]);
                REQUIRE_OK(lt_cursor_open(s1, tables[t], NULL, &held[t]));
            }
            check_n(held[t], 0, 500, 7, prefix[v]);
        }
    }
}

/* test_layered33.py::test_delete[string]: a follower removes all it inserted. */
static void
t33(const void *arg)
{
    lt_cluster *c = up_open_leaderless(2);
    lt_session *s;
    lt_cursor *cur;
    up_clock k = {0};
    char key[16];

    (void)arg;
    REQUIRE(c != NULL && (s = tu_session(c, 0)) != NULL);
    REQUIRE_OK(lt_create(s, UP_T));
    REQUIRE_OK(put_n(s, UP_T, 0, 100, "", &k));
    for (int i = 0; i < 100; i++)
        CHECK_OK(up_put(s, UP_T, (snprintf(key, sizeof(key), "%d", i), key), NULL, up_tick(&k)));
    REQUIRE_OK(lt_cursor_open(s, UP_T, NULL, &cur));
    CHECK_RC(lt_cursor_next(cur), WT_NOTFOUND);
    for (int i = 0; i < 100; i++) {
        lt_cursor_set_key(cur, (snprintf(key, sizeof(key), "%d", i), key));
        CHECK_RC(lt_cursor_search(cur), WT_NOTFOUND);
    }
    lt_cursor_close(cur);
}

/*
 * test_layered36.py::test_layered36[layered-prefix]: a follower creates two tables, steps up and
 * checkpoints; another node picks up both, empty (upstream: restart from the checkpoint).
 */
static void
t36(const void *arg)
{
    lt_cluster *c = up_open_leaderless(2);
    lt_session *s0, *s1;

    (void)arg;
    REQUIRE(c != NULL && (s0 = tu_session(c, 0)) != NULL && (s1 = tu_session(c, 1)) != NULL);
    REQUIRE_OK(lt_create(s0, "t36b"));
    REQUIRE_OK(lt_create(s0, "t36c"));
    REQUIRE_OK(lt_step_up(c, 0));
    REQUIRE(tu_checkpoint(c, 0, 1) != 0);
    REQUIRE_OK(lt_pickup(c, 1, 0));
    CHECK_EQ(tu_exists(s1, "t36b"), 1);
    CHECK_EQ(tu_exists(s1, "t36c"), 1);
    CHECK_EQ(up_count(s1, "t36b", 1), 0);
    CHECK_EQ(up_count(s1, "t36c", 1), 0);
}

/*
 * test_layered36.py::test_layered36_ext[layered-prefix] (skipped upstream, SLS-760): a follower
 * creates tables and writes one of them, the leader leaves, the follower steps up and
 * checkpoints; a third node sees the old table, the empty one and the written one.
 */
static void
t36_ext(const void *arg)
{
    lt_cluster *c = tu_open(3);
    lt_session *s0, *s1, *s2;

    (void)arg;
    REQUIRE(c != NULL && (s0 = tu_session(c, 0)) != NULL && (s1 = tu_session(c, 1)) != NULL);
    REQUIRE((s2 = tu_session(c, 2)) != NULL);
    REQUIRE_OK(lt_create(s0, "t36a"));
    REQUIRE_OK(up_put(s0, "t36a", "a", "b", 1));
    REQUIRE(tu_checkpoint(c, 0, 0) != 0);
    REQUIRE_OK(lt_pickup(c, 1, 0));
    CHECK_GET(s1, "t36a", "a", "b");
    REQUIRE_OK(lt_create(s1, "t36b"));
    REQUIRE_OK(lt_create(s1, "t36c"));
    REQUIRE_OK(up_put(s1, "t36c", "a", "b", 10));
    REQUIRE_OK(lt_step_down(c, 0));
    REQUIRE_OK(lt_step_up(c, 1));
    REQUIRE(tu_checkpoint(c, 1, 10) != 0);
    REQUIRE_OK(lt_pickup(c, 2, 0));
    CHECK_GET(s2, "t36a", "a", "b");
    CHECK_EQ(up_count(s2, "t36b", 1), 0);
    CHECK_GET(s2, "t36c", "a", "b");
}

/*
 * test_layered41.py::test_dup_key[leader|follower]: an overwrite=false insert of an existing key
 * fails with WT_DUPLICATE_KEY and leaves the existing value in the cursor.
 */
static void
t41(const void *arg)
{
    lt_cluster *c = arg == NULL ? tu_open(2) : up_open_leaderless(2);
    lt_session *s;
    lt_cursor *cur;
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, 1};
    char key[16], got[64];

    REQUIRE(c != NULL && (s = tu_session(c, 0)) != NULL);
    REQUIRE_OK(lt_create(s, UP_T));
    REQUIRE_OK(lt_cursor_open(s, UP_T, "overwrite=false", &cur));
    for (int i = 0; i < 100; i++) {
        REQUIRE_OK(lt_txn_begin(s, &tc));
        snprintf(key, sizeof(key), "%d", i);
        lt_cursor_set_key(cur, key);
        lt_cursor_set_value(cur, key, strlen(key));
        CHECK_OK(lt_cursor_insert(cur));
        REQUIRE_OK(lt_txn_commit(s, 0));
    }
    /* Upstream inserts outside a transaction; layered writes here need one. */
    tc.commit_ts = 2;
    REQUIRE_OK(lt_txn_begin(s, &tc));
    lt_cursor_set_key(cur, "10");
    lt_cursor_set_value(cur, "20", 2);
    CHECK_RC(lt_cursor_insert(cur), WT_DUPLICATE_KEY);
    CHECK_EQ_STR(up_val(cur, got, sizeof(got)), "10");
    CHECK_OK(lt_txn_rollback(s));
    lt_cursor_close(cur);
}

/*
 * test_layered46.py::test_layered46, test_layered47.py::test_prune_timestamp_initialization: a
 * follower cursor left positioned pins a checkpoint while newer ones are picked up.
 */
static void
t46(const void *arg)
{
    lt_cluster *c = tu_open(2);
    lt_session *s0, *s1;
    lt_cursor *held, *cur2;
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, 0};
    up_clock k = {2};

    (void)arg;
    REQUIRE(c != NULL && (s0 = tu_session(c, 0)) != NULL && (s1 = tu_session(c, 1)) != NULL);
    REQUIRE_OK(lt_create(s0, "a"));
    REQUIRE_OK(lt_create(s0, "b"));
    REQUIRE_OK(put_n(s0, "b", 1, 10, "", &k));
    REQUIRE_OK(put_n(s0, "a", 1, 10, "", &k));
    REQUIRE(tu_checkpoint(c, 0, up_tick(&k)) != 0);
    REQUIRE_OK(lt_pickup(c, 1, 0));
    REQUIRE_OK(lt_cursor_open(s1, "a", NULL, &held));
    REQUIRE_OK(lt_txn_begin(s1, &tc));
    lt_cursor_set_key(held, "1");
    CHECK_OK(lt_cursor_search(held));
    CHECK_OK(lt_txn_commit(s1, 0));
    REQUIRE_OK(put_n(s0, "a", 1, 10, "aaa", &k));
    REQUIRE(tu_checkpoint(c, 0, up_tick(&k)) != 0);
    CHECK_OK(lt_pickup(c, 1, 0));
    REQUIRE_OK(lt_cursor_open(s1, "b", NULL, &cur2));
    REQUIRE_OK(put_n(s0, "a", 1, 10, "bbb", &k));
    REQUIRE(tu_checkpoint(c, 0, up_tick(&k)) != 0);
    CHECK_OK(lt_pickup(c, 1, 0));
    check_n(cur2, 1, 10, 1, "");
    lt_cursor_close(cur2);
    lt_cursor_close(held);
    CHECK_GET(s1, "a", "5", "bbb5");
}

/* test_layered47.py::test_checkpoint_order_mismatch: tables checkpointed at different rates. */
static void
t47_order(const void *arg)
{
    lt_cluster *c = tu_open(2);
    lt_session *s0, *s1;
    up_clock k = {2};
    char pre[8];

    (void)arg;
    REQUIRE(c != NULL && (s0 = tu_session(c, 0)) != NULL && (s1 = tu_session(c, 1)) != NULL);
    REQUIRE_OK(lt_create(s0, "a"));
    REQUIRE_OK(lt_create(s0, "b"));
    REQUIRE_OK(put_n(s0, "a", 1, 10, "", &k));
    REQUIRE_OK(put_n(s0, "b", 1, 10, "", &k));
    REQUIRE(tu_checkpoint(c, 0, up_tick(&k)) != 0);
    REQUIRE_OK(lt_pickup(c, 1, 0));
    CHECK_GET(s1, "a", "1", "1");
    CHECK_GET(s1, "b", "1", "1");
    for (int i = 0; i < 10; i++) {
        snprintf(pre, sizeof(pre), "%d", i);
        REQUIRE_OK(put_n(s0, "a", 1, 10, pre, &k));
        REQUIRE(tu_checkpoint(c, 0, up_tick(&k)) != 0);
    }
    CHECK_OK(lt_pickup(c, 1, 0));
    REQUIRE_OK(put_n(s0, "b", 1, 10, "", &k));
    REQUIRE(tu_checkpoint(c, 0, up_tick(&k)) != 0);
    CHECK_OK(lt_pickup(c, 1, 0));
    CHECK_GET(s1, "a", "3", "93");
    CHECK_GET(s1, "b", "3", "3");
}

/*
 * test_layered49.py::test_layered49 (and its copy test_layered56.py::test_layered56): the
 * follower picks up two versions, the leader leaves, the follower steps up, scans the second
 * version in key order and writes a third.
 */
static void
t49(const void *arg)
{
    lt_cluster *c = tu_open(2);
    lt_session *s0, *s1;
    lt_cursor *cur;
    up_clock k = {0};
    char keys[500][8], key[LT_KEY_MAX + 1], val[32], got[64];
    int n = 0;

    (void)arg;
    REQUIRE(c != NULL && (s0 = tu_session(c, 0)) != NULL && (s1 = tu_session(c, 1)) != NULL);
    REQUIRE_OK(lt_create(s0, UP_T));
    REQUIRE_OK(put_n(s0, UP_T, 0, 500, "---", &k));
    REQUIRE(tu_checkpoint(c, 0, 0) != 0);
    REQUIRE_OK(lt_pickup(c, 1, 0));
    REQUIRE_OK(lt_cursor_open(s1, UP_T, NULL, &cur));
    check_n(cur, 0, 500, 1, "---");
    lt_cursor_close(cur);
    REQUIRE_OK(put_n(s0, UP_T, 0, 500, "+++", &k));
    REQUIRE(tu_checkpoint(c, 0, 0) != 0);
    REQUIRE_OK(lt_pickup(c, 1, 0));
    REQUIRE_OK(lt_step_down(c, 0));
    REQUIRE_OK(lt_step_up(c, 1));
    for (int i = 0; i < 500; i++)
        snprintf(keys[i], sizeof(keys[i]), "%d", i);
    qsort(keys, 500, sizeof(keys[0]), (int (*)(const void *, const void *))strcmp);
    REQUIRE_OK(lt_cursor_open(s1, UP_T, NULL, &cur));
    while (n < 500 && up_step(cur, 1, key) == 0) {
        snprintf(val, sizeof(val), "+++%.7s", keys[n]);
        if (!CHECK_EQ_STR(key, keys[n]) || !CHECK_EQ_STR(up_val(cur, got, sizeof(got)), val))
            break;
        n++;
    }
    CHECK_EQ(n, 500);
    lt_cursor_close(cur);
    CHECK_OK(put_n(s1, UP_T, 0, 500, "!!!", &k));
    CHECK(tu_checkpoint(c, 1, 0) != 0);
}

/*
 * test_layered52.py::test_layered52: a checkpoint with no new data still moves the published
 * timestamp; a follower's own checkpoint publishes nothing (upstream's follower checkpoint
 * succeeds locally; here it is refused: only the published timestamp is checked).
 */
static void
t52(const void *arg)
{
    lt_cluster *c = tu_open(2);
    lt_session *s0, *s1;
    uint64_t id = 0, ts = 0, fid = 0;
    char key[16], val[16];

    (void)arg;
    REQUIRE(c != NULL && (s0 = tu_session(c, 0)) != NULL && (s1 = tu_session(c, 1)) != NULL);
    REQUIRE_OK(lt_create(s0, UP_T));
    for (int i = 1; i < 10; i++)
        REQUIRE_OK(up_put(s0, UP_T, (snprintf(key, sizeof(key), "%d", i), key), key, 10));
    REQUIRE(tu_checkpoint(c, 0, 10) != 0);
    CHECK_OK(lt_checkpoint_newest(c, &id, &ts));
    CHECK_EQ(ts, 10);
    REQUIRE_OK(lt_pickup(c, 1, 0));
    REQUIRE(tu_checkpoint(c, 0, 20) != 0);
    CHECK_OK(lt_checkpoint_newest(c, &id, &ts));
    CHECK_EQ(ts, 20);
    REQUIRE_OK(lt_pickup(c, 1, 0));
    for (int i = 1; i < 10; i++) {
        snprintf(key, sizeof(key), "%d", i);
        snprintf(val, sizeof(val), "%db", i);
        CHECK_OK(up_put(s1, UP_T, key, val, 30));
    }
    (void)lt_checkpoint(c, 1, 30, &fid);
    CHECK_OK(lt_checkpoint_newest(c, &id, &ts));
    CHECK_EQ(ts, 20);
}

/* test_layered61.py::test_layered61: a lone follower with a row steps up and keeps the row. */
static void
t61(const void *arg)
{
    lt_cluster *c = up_open_leaderless(2);
    lt_session *s;

    (void)arg;
    REQUIRE(c != NULL && (s = tu_session(c, 0)) != NULL);
    REQUIRE_OK(lt_create(s, UP_T));
    REQUIRE_OK(up_put(s, UP_T, "a", "b", 10));
    CHECK_OK(lt_step_up(c, 0));
    CHECK_GET(s, UP_T, "a", "b");
}

/* test_layered77.py::test_tombstone_key_never_in_stable: removing an absent key: WT_NOTFOUND. */
static void
t77(const void *arg)
{
    lt_cluster *c = up_open_leaderless(2);
    lt_session *s;
    lt_cursor *cur;
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, 5};

    (void)arg;
    REQUIRE(c != NULL && (s = tu_session(c, 0)) != NULL);
    REQUIRE_OK(lt_create(s, UP_T));
    REQUIRE_OK(lt_cursor_open(s, UP_T, NULL, &cur));
    REQUIRE_OK(lt_txn_begin(s, &tc));
    lt_cursor_set_key(cur, "000001");
    CHECK_RC(lt_cursor_remove(cur), WT_NOTFOUND);
    CHECK_OK(lt_txn_rollback(s));
    lt_cursor_close(cur);
}

/*
 * test_layered80.py::test_layered_dhandle_not_swept_during_stepup: a lone follower's rows (one
 * transaction) are all there after it steps up.
 */
static void
t80(const void *arg)
{
    lt_cluster *c = up_open_leaderless(2);
    lt_session *s;
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, 1000};
    char script[32];

    (void)arg;
    REQUIRE(c != NULL && (s = tu_session(c, 0)) != NULL);
    REQUIRE_OK(lt_create(s, UP_T));
    REQUIRE_OK(lt_txn_begin(s, &tc));
    for (int i = 0; i < 1000; i++) {
        snprintf(script, sizeof(script), "%06d=value%d", i, i);
        REQUIRE_OK(tu_write_in(s, UP_T, script));
    }
    REQUIRE_OK(lt_txn_commit(s, 0));
    CHECK_OK(lt_step_up(c, 0));
    CHECK_EQ(up_count(s, UP_T, 1), 1000);
}

static const int one = 1;

static const up_case cases[] = {
  {"test_layered26.py::test_layered26", t26, NULL},
  {"test_layered28.py::test_create_drop[layered-prefix]", t28_leader, NULL},
  {"test_layered28.py::test_create_drop_checkpoint[layered-prefix]", t28_leader, &one},
  {"test_layered28.py::test_create_drop_follower[layered-prefix]", t28_follower, NULL},
  {"test_layered29.py::test_create_tables", t29, NULL},
  {"test_layered30.py::test_layered30[layered-prefix,one-table]", t30, NULL},
  {"test_layered30.py::test_layered30[layered-prefix,two-tables]", t30, &one},
  {"test_layered31.py::test_layered31", t31, NULL},
  {"test_layered33.py::test_delete[string]", t33, NULL},
  {"test_layered36.py::test_layered36[layered-prefix]", t36, NULL},
  {"test_layered36.py::test_layered36_ext[layered-prefix]", t36_ext, NULL},
  {"test_layered41.py::test_dup_key[leader]", t41, NULL},
  {"test_layered41.py::test_dup_key[follower]", t41, &one},
  {"test_layered46.py::test_layered46", t46, NULL},
  {"test_layered47.py::test_prune_timestamp_initialization", t46, NULL},
  {"test_layered47.py::test_checkpoint_order_mismatch", t47_order, NULL},
  {"test_layered49.py::test_layered49", t49, NULL},
  {"test_layered52.py::test_layered52", t52, NULL},
  {"test_layered56.py::test_layered56", t49, NULL},
  {"test_layered61.py::test_layered61", t61, NULL},
  {"test_layered77.py::test_tombstone_key_never_in_stable", t77, NULL},
  {"test_layered80.py::test_layered_dhandle_not_swept_during_stepup", t80, NULL},
};

int
main(int argc, char **argv)
{
    return up_main(cases, UP_NELEM(cases), "up_schema", argc, argv);
}
