/*
 * up_basic.c -- upstream's basic layered-table tests: create, write, scan, checkpoint and pickup,
 * largest key, modify, several tables, a follower on its own, drop.
 *
 * Re-expressed from wiredtiger/wiredtiger test/suite/ (read at these commits):
 *   test_layered02.py 4b4c73e145797c9a42626feed08533b85e7653e7
 *   test_layered03.py 267e598a1e0e05252a8f616d4509afc1ede87268
 *   test_layered04.py 267e598a1e0e05252a8f616d4509afc1ede87268
 *   test_layered06.py 267e598a1e0e05252a8f616d4509afc1ede87268
 *   test_layered07.py 083bfbcbd02c0c3b0700b594be73664f8a4e90c5
 *   test_layered10.py 4ac45ea2f969583ea37bfdbddd6944a865e05470
 *   test_layered13.py 33b4288080c1aed093394a008f21cf4bb83125f7
 *   test_layered16.py 0499171b79b09cc341a4219af169072176cf632b
 *   test_layered17.py 28b9c458a3c1507f9989f1e70229e61d5233b71e
 *   test_layered18.py 28b9c458a3c1507f9989f1e70229e61d5233b71e
 *   test_layered19.py 05f9ea7eb8627485f54b025e153d35d367bb9194
 *   test_layered21.py 04205b2f68bb39ebfae89e4e6ec63dae5338d45e
 *   test_layered22.py 5b03a107da8d6d42ec2e6364b92300eb2290e999
 *   test_layered24.py 5d98f4635ff871fda344c7ac54ad8707a3ea318c
 * Row counts are scaled down (upstream uses up to 100,000 rows); the checks are upstream's.
 */
#include "up_util.h"

/* Upstream's "Hello i"/"Hi i"/"OK i" rows for i in [lo, hi), each in its own transaction. */
static int
put_hello(lt_session *s, const char *table, int lo, int hi, const char *prefix, up_clock *k)
{
    static const char *const words[] = {"Hello ", "Hi ", "OK "};
    static const char *const vals[] = {"World", "There", "Go"};
    char key[64];
    int rc;

    for (int i = lo; i < hi; i++)
        for (int w = 0; w < 3; w++) {
            snprintf(key, sizeof(key), "%s%s%d", prefix, words[w], i);
            if ((rc = up_put(s, table, key, vals[w], up_tick(k))) != 0)
                return rc;
        }
    return 0;
}

/* test_layered02.py::test_layered02: create a layered table, open and close a cursor. */
static void
t02(const void *arg)
{
    lt_cluster *c = tu_open(2);
    lt_session *s;
    lt_cursor *cur;

    (void)arg;
    REQUIRE(c != NULL && (s = tu_session(c, 0)) != NULL);
    REQUIRE_OK(lt_create(s, UP_T));
    CHECK_OK(lt_cursor_open(s, UP_T, NULL, &cur));
    CHECK_OK(lt_cursor_close(cur));
}

/* test_layered03.py::test_layered03: insert three rows, search one, scan both ways, reopen. */
static void
t03(const void *arg)
{
    lt_cluster *c = tu_open(2);
    lt_session *s;
    up_clock k = {0};

    (void)arg;
    REQUIRE(c != NULL && (s = tu_session(c, 0)) != NULL);
    REQUIRE_OK(lt_create(s, UP_T));
    CHECK_OK(up_put(s, UP_T, "Hello", "World", up_tick(&k)));
    CHECK_OK(up_put(s, UP_T, "Hi", "There", up_tick(&k)));
    CHECK_OK(up_put(s, UP_T, "OK", "Go", up_tick(&k)));
    CHECK_GET(s, UP_T, "Hello", "World");
    CHECK_SCAN(s, UP_T, "Hello=World Hi=There OK=Go");
}

/* test_layered04.py::test_layered04: many rows on the leader, all counted by a scan. */
static void
t04(const void *arg)
{
    lt_cluster *c = tu_open(2);
    lt_session *s;
    up_clock k = {0};

    (void)arg;
    REQUIRE(c != NULL && (s = tu_session(c, 0)) != NULL);
    REQUIRE_OK(lt_create(s, UP_T));
    REQUIRE_OK(put_hello(s, UP_T, 0, 2000, "", &k));
    CHECK_EQ(up_count(s, UP_T, 1), 6000);
}

/*
 * test_layered06.py::test_layered06[1k]: the follower sees the leader's rows after a checkpoint
 * and pickup, then a second batch; a node that joins later reads the same (upstream reopens the
 * follower connection).
 */
static void
t06(const void *arg)
{
    lt_cluster *c = tu_open(3);
    lt_session *s0, *s1, *s2;
    up_clock k = {0};

    (void)arg;
    REQUIRE(c != NULL && (s0 = tu_session(c, 0)) != NULL && (s1 = tu_session(c, 1)) != NULL);
    REQUIRE((s2 = tu_session(c, 2)) != NULL);
    REQUIRE_OK(lt_create(s0, UP_T));
    CHECK_OK(lt_create(s1, UP_T));
    REQUIRE_OK(put_hello(s0, UP_T, 0, 1000, "", &k));
    CHECK_EQ(up_count(s0, UP_T, 1), 3000);
    REQUIRE(tu_checkpoint(c, 0, 0) != 0);
    CHECK_OK(lt_pickup(c, 1, 0));
    CHECK_EQ(up_count(s1, UP_T, 1), 3000);
    REQUIRE_OK(put_hello(s0, UP_T, 0, 1000, "** ", &k));
    REQUIRE(tu_checkpoint(c, 0, 0) != 0);
    CHECK_OK(lt_pickup(c, 1, 0));
    CHECK_EQ(up_count(s1, UP_T, 1), 6000);
    CHECK_EQ(up_count(s0, UP_T, 1), 6000);
    CHECK_OK(lt_pickup(c, 2, 0));
    CHECK_EQ(up_count(s2, UP_T, 1), 6000);
}

/*
 * test_layered07.py::test_layered07: leader writes, checkpoint, pickup; the follower steps up and
 * the leader steps down; the new leader writes and checkpoints, the old one picks up; both see
 * everything.
 */
static void
t07(const void *arg)
{
    lt_cluster *c = tu_open(2);
    lt_session *s0, *s1;
    up_clock k = {0};

    (void)arg;
    REQUIRE(c != NULL && (s0 = tu_session(c, 0)) != NULL && (s1 = tu_session(c, 1)) != NULL);
    REQUIRE_OK(lt_create(s0, UP_T));
    CHECK_OK(lt_create(s1, UP_T));
    REQUIRE_OK(put_hello(s0, UP_T, 0, 500, "", &k));
    REQUIRE(tu_checkpoint(c, 0, 0) != 0);
    REQUIRE_OK(lt_pickup(c, 1, 0));
    REQUIRE_OK(lt_step_down(c, 0));
    REQUIRE_OK(lt_step_up(c, 1));
    REQUIRE_OK(put_hello(s1, UP_T, 0, 500, "* ", &k));
    REQUIRE(tu_checkpoint(c, 1, 0) != 0);
    CHECK_OK(lt_pickup(c, 0, 0));
    CHECK_EQ(up_count(s1, UP_T, 1), 3000);
    CHECK_EQ(up_count(s0, UP_T, 1), 3000);
}

/* test_layered10.py::test_layered10: largest_key on the leader, inside a transaction, follower. */
static void
t10(const void *arg)
{
    lt_cluster *c = tu_open(2);
    lt_session *s0, *s1;
    lt_cursor *cur, *fcur;
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, 0};
    up_clock k = {0};
    char key[16];
    const int n = 1000;

    (void)arg;
    REQUIRE(c != NULL && (s0 = tu_session(c, 0)) != NULL && (s1 = tu_session(c, 1)) != NULL);
    REQUIRE_OK(lt_create(s0, UP_T));
    CHECK_OK(lt_create(s1, UP_T));
    REQUIRE_OK(lt_cursor_open(s0, UP_T, NULL, &cur));
    CHECK_RC(lt_cursor_largest_key(cur), WT_NOTFOUND);
    REQUIRE_OK(up_put_range(s0, UP_T, 1, n + 1, 1, "Value ", 0, &k));
    CHECK_CUR_KEY(lt_cursor_largest_key(cur), cur, up_key(key, n));
    REQUIRE(tu_checkpoint(c, 0, 0) != 0);
    CHECK_CUR_KEY(lt_cursor_largest_key(cur), cur, up_key(key, n));
    tc.commit_ts = up_tick(&k);
    REQUIRE_OK(lt_txn_begin(s0, &tc));
    lt_cursor_set_key(cur, up_key(key, n + 100));
    lt_cursor_set_value(cur, "Value", 5);
    CHECK_OK(lt_cursor_insert(cur));
    CHECK_CUR_KEY(lt_cursor_largest_key(cur), cur, up_key(key, n + 100));
    CHECK_OK(lt_txn_rollback(s0));
    REQUIRE_OK(lt_pickup(c, 1, 0));
    REQUIRE_OK(lt_cursor_open(s1, UP_T, NULL, &fcur));
    CHECK_CUR_KEY(lt_cursor_largest_key(fcur), fcur, up_key(key, n));
    lt_cursor_close(fcur);
    lt_cursor_close(cur);
}

/* test_layered13.py::test_layered13: two layered tables, read on the leader and the follower. */
static void
t13(const void *arg)
{
    static const char *const tables[] = {"t13a", "t13b"};
    lt_cluster *c = tu_open(2);
    lt_session *s0, *s1;
    up_clock k = {0};
    char key[16], val[32];

    (void)arg;
    REQUIRE(c != NULL && (s0 = tu_session(c, 0)) != NULL && (s1 = tu_session(c, 1)) != NULL);
    for (int t = 0; t < 2; t++) {
        REQUIRE_OK(lt_create(s0, tables[t]));
        for (int i = 0; i < 500; i++) {
            snprintf(key, sizeof(key), "%d", i);
            snprintf(val, sizeof(val), "aaa%d", i);
            REQUIRE_OK(up_put(s0, tables[t], key, val, up_tick(&k)));
        }
    }
    REQUIRE(tu_checkpoint(c, 0, 0) != 0);
    REQUIRE_OK(lt_pickup(c, 1, 0));
    for (int t = 0; t < 2; t++)
        for (int i = 0; i < 500; i += 7) {
            snprintf(key, sizeof(key), "%d", i);
            snprintf(val, sizeof(val), "aaa%d", i);
            CHECK_GET(s0, tables[t], key, val);
            CHECK_GET(s1, tables[t], key, val);
        }
}

/* Apply one modify entry (data at offset, replacing size bytes) to key in a transaction at ts. */
static int
modify1(lt_session *s, const char *key, const char *data, size_t offset, size_t size, uint64_t ts,
  char *out, size_t outlen)
{
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, ts};
    WT_MODIFY m;
    lt_cursor *cur;
    int rc;

    memset(&m, 0, sizeof(m));
    m.data.data = data;
    m.data.size = strlen(data);
    m.offset = offset;
    m.size = size;
    if ((rc = lt_txn_begin(s, &tc)) != 0)
        return rc;
    if ((rc = lt_cursor_open(s, UP_T, NULL, &cur)) == 0) {
        lt_cursor_set_key(cur, key);
        if ((rc = lt_cursor_modify(cur, &m, 1)) == 0 && out != NULL)
            up_val(cur, out, outlen);
        lt_cursor_close(cur);
    }
    if (rc != 0) {
        lt_txn_rollback(s);
        return rc;
    }
    return lt_txn_commit(s, 0);
}

/* test_layered16.py::test_modify: two appending modifies; the cursor holds the new value. */
static void
t16(const void *arg)
{
    lt_cluster *c = tu_open(2);
    lt_session *s;
    char v1[200], exp[200], got[200];

    (void)arg;
    REQUIRE(c != NULL && (s = tu_session(c, 0)) != NULL);
    REQUIRE_OK(lt_create(s, UP_T));
    v1[0] = '\0';
    for (int i = 0; i < 5; i++)
        strcat(v1, "abcedfghijklmnopqrstuvwxyz");
    REQUIRE_OK(up_put(s, UP_T, "1", v1, 10));
    CHECK_OK(modify1(s, "1", "A", 130, 0, 20, got, sizeof(got)));
    snprintf(exp, sizeof(exp), "%sA", v1);
    CHECK_EQ_STR(got, exp);
    CHECK_GET(s, UP_T, "1", exp);
    CHECK_OK(modify1(s, "1", "B", 131, 0, 30, got, sizeof(got)));
    snprintf(exp, sizeof(exp), "%sAB", v1);
    CHECK_EQ_STR(got, exp);
    CHECK_GET(s, UP_T, "1", exp);
}

/* Write every key i (of n) with i % mod == 0 as "<prefix><i>" in one transaction at ts. */
static int
put_mod(lt_session *s, int n, int mod, const char *prefix, uint64_t ts)
{
    char script[64];
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, ts};
    int rc;

    if ((rc = lt_txn_begin(s, &tc)) != 0)
        return rc;
    for (int i = 0; i < n && rc == 0; i += mod) {
        snprintf(script, sizeof(script), "%d=%s%d", i, prefix, i);
        rc = tu_write_in(s, UP_T, script);
    }
    if (rc != 0) {
        lt_txn_rollback(s);
        return rc;
    }
    return lt_txn_commit(s, 0);
}

/* Check key i (of n, step step) reads "<prefix><i>", prefix chosen by pick(i). */
static void
check_mod(lt_session *s, int n, int step, const char *(*pick)(int))
{
    char key[16], val[64];
    for (int i = 0; i < n; i += step) {
        snprintf(key, sizeof(key), "%d", i);
        snprintf(val, sizeof(val), "%s%d", pick(i), i);
        CHECK_GET(s, UP_T, key, val);
    }
}

static const char *
pick17_2(int i)
{
    return i % 50 == 0 ? "bbb" : "aaa";
}

/*
 * test_layered17.py::test_layered17[layered-prefix]: the published checkpoint's timestamp is the
 * stable timestamp; a checkpoint at 250 leaves out a commit at 300.
 */
static void
t17(const void *arg)
{
    lt_cluster *c = tu_open(2);
    lt_session *s0, *s1;
    uint64_t id = 0, ts = 0;

    (void)arg;
    REQUIRE(c != NULL && (s0 = tu_session(c, 0)) != NULL && (s1 = tu_session(c, 1)) != NULL);
    REQUIRE_OK(lt_create(s0, UP_T));
    REQUIRE_OK(put_mod(s0, 500, 1, "aaa", 100));
    REQUIRE(tu_checkpoint(c, 0, 100) != 0);
    CHECK_OK(lt_checkpoint_newest(c, &id, &ts));
    CHECK_EQ(ts, 100);
    REQUIRE_OK(lt_pickup(c, 1, 0));
    for (int i = 0; i < 500; i += 11) {
        char key[16], val[32];
        snprintf(key, sizeof(key), "%d", i);
        snprintf(val, sizeof(val), "aaa%d", i);
        CHECK_GET(s1, UP_T, key, val);
    }
    REQUIRE_OK(put_mod(s0, 500, 50, "bbb", 200));
    REQUIRE(tu_checkpoint(c, 0, 200) != 0);
    CHECK_OK(lt_checkpoint_newest(c, &id, &ts));
    CHECK_EQ(ts, 200);
    REQUIRE_OK(lt_pickup(c, 1, 0));
    check_mod(s1, 500, 5, pick17_2);
    REQUIRE_OK(put_mod(s0, 500, 25, "ccc", 300));
    REQUIRE(tu_checkpoint(c, 0, 250) != 0);
    CHECK_OK(lt_checkpoint_newest(c, &id, &ts));
    CHECK_EQ(ts, 250);
    REQUIRE_OK(lt_pickup(c, 1, 0));
    check_mod(s1, 500, 5, pick17_2);
}

/* test_layered18.py::test_layered18[layered]: ten checkpointed updates of one key. */
static void
t18(const void *arg)
{
    lt_cluster *c = tu_open(2);
    lt_session *s0, *s1;
    char val[32];

    (void)arg;
    REQUIRE(c != NULL && (s0 = tu_session(c, 0)) != NULL && (s1 = tu_session(c, 1)) != NULL);
    REQUIRE_OK(lt_create(s0, UP_T));
    REQUIRE_OK(put_mod(s0, 500, 1, "aaa", 100));
    REQUIRE(tu_checkpoint(c, 0, 100) != 0);
    for (int n = 1; n <= 10; n++) {
        snprintf(val, sizeof(val), "bbb0-%d", n);
        REQUIRE_OK(up_put(s0, UP_T, "0", val, 100 + (uint64_t)n));
        REQUIRE(tu_checkpoint(c, 0, 100 + (uint64_t)n) != 0);
    }
    REQUIRE_OK(lt_pickup(c, 1, 0));
    CHECK_GET(s1, UP_T, "0", "bbb0-10");
    CHECK_GET(s1, UP_T, "1", "aaa1");
    CHECK_GET(s1, UP_T, "499", "aaa499");
}

static const char *
pick19(int i)
{
    return i % 10 == 0 ? "bbbb" : "aaaa";
}

/* test_layered19.py::test_layered_read_write[layered]: updates across checkpoints, follower. */
static void
t19(const void *arg)
{
    lt_cluster *c = tu_open(2);
    lt_session *s0, *s1;
    char key[16];

    (void)arg;
    REQUIRE(c != NULL && (s0 = tu_session(c, 0)) != NULL && (s1 = tu_session(c, 1)) != NULL);
    REQUIRE_OK(lt_create(s0, UP_T));
    for (int i = 0; i < 1000; i++)
        REQUIRE_OK(up_put(s0, UP_T, (snprintf(key, sizeof(key), "%d", i), key), "aaaa", 10));
    REQUIRE(tu_checkpoint(c, 0, 0) != 0);
    for (int round = 0; round < 2; round++) {
        for (int i = 0; i < 1000; i += 10)
            REQUIRE_OK(up_put(s0, UP_T, (snprintf(key, sizeof(key), "%d", i), key), "bbbb",
              20 + (uint64_t)round));
        REQUIRE(tu_checkpoint(c, 0, 0) != 0);
    }
    REQUIRE_OK(lt_pickup(c, 1, 0));
    for (int i = 0; i < 1000; i += 3) {
        snprintf(key, sizeof(key), "%d", i);
        CHECK_GET(s1, UP_T, key, pick19(i));
    }
}

/*
 * test_layered21.py / test_layered22.py ::test_secondary_reads_without_stable: a follower that
 * never saw a leader writes and scans its own table both ways.
 */
static void
t21_reads(const void *arg)
{
    lt_cluster *c = up_open_leaderless(2);
    lt_session *s;
    up_clock k = {0};

    (void)arg;
    REQUIRE(c != NULL && (s = tu_session(c, 0)) != NULL);
    REQUIRE_OK(lt_create(s, UP_T));
    REQUIRE_OK(put_hello(s, UP_T, 0, 1000, "", &k));
    CHECK_EQ(up_count(s, UP_T, 1), 3000);
    CHECK_EQ(up_count(s, UP_T, -1), 3000);
}

/* ::test_secondary_modifies_without_stable: modifies on a follower-only table. */
static void
t21_modifies(const void *arg)
{
    lt_cluster *c = up_open_leaderless(2);
    lt_session *s;
    up_clock k = {0};
    char key[16];

    (void)arg;
    REQUIRE(c != NULL && (s = tu_session(c, 0)) != NULL);
    REQUIRE_OK(lt_create(s, UP_T));
    for (int i = 0; i < 1000; i++)
        REQUIRE_OK(
          up_put(s, UP_T, (snprintf(key, sizeof(key), "%d", i), key), "aaaa", up_tick(&k)));
    for (int i = 0; i < 1000; i += 10)
        CHECK_OK(
          modify1(s, (snprintf(key, sizeof(key), "%d", i), key), "b", 1, 1, up_tick(&k), NULL, 0));
    for (int i = 0; i < 1000; i += 3) {
        snprintf(key, sizeof(key), "%d", i);
        CHECK_GET(s, UP_T, key, i % 10 == 0 ? "abaa" : "aaaa");
    }
}

/* test_layered22.py::test_secondary_search_without_stable: search and search_near, empty/one. */
static void
t22_search(const void *arg)
{
    lt_cluster *c = up_open_leaderless(2);
    lt_session *s;
    lt_cursor *cur;
    int exact = 99;

    (void)arg;
    REQUIRE(c != NULL && (s = tu_session(c, 0)) != NULL);
    REQUIRE_OK(lt_create(s, UP_T));
    REQUIRE_OK(lt_cursor_open(s, UP_T, NULL, &cur));
    lt_cursor_set_key(cur, "nonexistent");
    CHECK_RC(lt_cursor_search(cur), WT_NOTFOUND);
    lt_cursor_set_key(cur, "nonexistent");
    CHECK_RC(lt_cursor_search_near(cur, &exact), WT_NOTFOUND);
    CHECK_OK(up_put(s, UP_T, "found", "yes", 5));
    lt_cursor_set_key(cur, "found");
    CHECK_OK(lt_cursor_search(cur));
    lt_cursor_set_key(cur, "found");
    CHECK_OK(lt_cursor_search_near(cur, &exact));
    CHECK_EQ(exact, 0);
    lt_cursor_close(cur);
}

/* test_layered22.py::test_largest_key_without_stable. */
static void
t22_largest(const void *arg)
{
    lt_cluster *c = up_open_leaderless(2);
    lt_session *s;
    lt_cursor *cur;
    up_clock k = {0};

    (void)arg;
    REQUIRE(c != NULL && (s = tu_session(c, 0)) != NULL);
    REQUIRE_OK(lt_create(s, UP_T));
    REQUIRE_OK(put_hello(s, UP_T, 0, 1000, "", &k));
    REQUIRE_OK(lt_cursor_open(s, UP_T, NULL, &cur));
    CHECK_CUR_KEY(lt_cursor_largest_key(cur), cur, "OK 999");
    lt_cursor_close(cur);
}

/*
 * test_layered24.py::test_layered24: a follower that drops the table cannot open it (it does not
 * fall back to stable); the leader keeps its rows until it drops the table too.
 */
static void
t24(const void *arg)
{
    lt_cluster *c = tu_open(2);
    lt_session *s0, *s1;
    lt_cursor *cur = NULL;
    up_clock k = {0};

    (void)arg;
    REQUIRE(c != NULL && (s0 = tu_session(c, 0)) != NULL && (s1 = tu_session(c, 1)) != NULL);
    REQUIRE_OK(lt_create(s0, UP_T));
    CHECK_OK(lt_create(s1, UP_T));
    REQUIRE_OK(put_hello(s0, UP_T, 0, 1000, "", &k));
    REQUIRE(tu_checkpoint(c, 0, 0) != 0);
    REQUIRE_OK(lt_pickup(c, 1, 0));
    CHECK_EQ(up_count(s1, UP_T, 1), 3000);
    CHECK_OK(lt_drop(s1, UP_T));
    CHECK_ERR(lt_cursor_open(s1, UP_T, NULL, &cur));
    CHECK_EQ(up_count(s0, UP_T, 1), 3000);
    CHECK_OK(lt_drop(s0, UP_T));
    CHECK_ERR(lt_cursor_open(s0, UP_T, NULL, &cur));
}

static const up_case cases[] = {
  {"test_layered02.py::test_layered02", t02, NULL},
  {"test_layered03.py::test_layered03", t03, NULL},
  {"test_layered04.py::test_layered04", t04, NULL},
  {"test_layered06.py::test_layered06[1k]", t06, NULL},
  {"test_layered07.py::test_layered07", t07, NULL},
  {"test_layered10.py::test_layered10", t10, NULL},
  {"test_layered13.py::test_layered13", t13, NULL},
  {"test_layered16.py::test_modify", t16, NULL},
  {"test_layered17.py::test_layered17[layered-prefix]", t17, NULL},
  {"test_layered18.py::test_layered18[layered]", t18, NULL},
  {"test_layered19.py::test_layered_read_write[layered]", t19, NULL},
  {"test_layered21.py::test_secondary_reads_without_stable", t21_reads, NULL},
  {"test_layered21.py::test_secondary_modifies_without_stable", t21_modifies, NULL},
  {"test_layered22.py::test_secondary_reads_without_stable", t21_reads, NULL},
  {"test_layered22.py::test_secondary_modifies_without_stable", t21_modifies, NULL},
  {"test_layered22.py::test_secondary_search_without_stable", t22_search, NULL},
  {"test_layered22.py::test_largest_key_without_stable", t22_largest, NULL},
  {"test_layered24.py::test_layered24", t24, NULL},
};

int
main(int argc, char **argv)
{
    return up_main(cases, UP_NELEM(cases), "up_basic", argc, argv);
}
