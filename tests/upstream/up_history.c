/*
 * up_history.c -- upstream's tests that read history: versions at older read timestamps after a
 * checkpoint, older checkpoints picked up on purpose, reads on the leader at past timestamps.
 *
 * Re-expressed from wiredtiger/wiredtiger test/suite/ (read at these commits):
 *   test_layered09.py 28b9c458a3c1507f9989f1e70229e61d5233b71e
 *   test_layered12.py 4b4c73e145797c9a42626feed08533b85e7653e7
 *   test_layered20.py 08fe0ec19370e44bc02e7ead4487550fd95c1571
 *   test_layered25.py 167cb53ad88f80d5a6819a2209f4a423df74a45e
 *   test_layered35.py 18fd163ab467ca6749d6440bd8adb23c1d4b7acc
 *   test_layered58.py 049c4229cd8a766bab43102486411152b7f82f28
 * Upstream's page-delta, compression, encryption and statistics checks have no counterpart; the
 * data each test reads back is checked as upstream checks it. Upstream reopens its connection as
 * a follower at the last checkpoint; here a second node picks that checkpoint up.
 */
#include "up_util.h"

#define NKEYS 105

/* One phase of test_layered09: at ts, the keys i < nkeys with i % mod == 0 get op. */
typedef enum { OP_PUT, OP_MODIFY, OP_REMOVE } op_kind;
typedef struct {
    uint64_t ts;
    int lo, hi, mod;
    op_kind op;
    const char *value; /* OP_PUT */
} phase;

typedef struct {
    int nphases;
    phase ph[3];
    int ts_reads; /* upstream's "ts" scenario: read at each phase's timestamp, else at latest */
} spec09;

/* Apply a phase on the leader (each key in its own transaction, as upstream) and to the model. */
static int
apply(lt_session *s, const phase *p, char model[NKEYS][128])
{
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, p->ts};
    lt_cursor *cur;
    WT_MODIFY m;
    char key[16];
    int rc = 0;

    memset(&m, 0, sizeof(m));
    m.data.data = "b";
    m.data.size = 1;
    m.offset = 1;
    m.size = 1;
    for (int i = p->lo; i < p->hi && rc == 0; i++) {
        if (i % p->mod != 0)
            continue;
        snprintf(key, sizeof(key), "%d", i);
        if ((rc = lt_txn_begin(s, &tc)) != 0)
            break;
        if ((rc = lt_cursor_open(s, UP_T, NULL, &cur)) == 0) {
            lt_cursor_set_key(cur, key);
            if (p->op == OP_PUT) {
                lt_cursor_set_value(cur, p->value, strlen(p->value));
                rc = lt_cursor_insert(cur);
                snprintf(model[i], sizeof(model[i]), "%s", p->value);
            } else if (p->op == OP_MODIFY) {
                rc = lt_cursor_modify(cur, &m, 1);
                model[i][1] = 'b';
            } else {
                rc = lt_cursor_remove(cur);
                model[i][0] = '\0';
            }
            lt_cursor_close(cur);
        }
        rc = rc == 0 ? lt_txn_commit(s, 0) : (lt_txn_rollback(s), rc);
    }
    return rc;
}

/*
 * test_layered09.py: the leader writes in phases, checkpointing after each; a follower at the
 * last checkpoint reads every phase at its timestamp ("ts" scenario) or the latest ("non-ts").
 */
static void
t09(const void *arg)
{
    const spec09 *sp = arg;
    lt_cluster *c = tu_open(2);
    lt_session *s0, *s1;
    static char model[3][NKEYS][128];
    char key[16];

    REQUIRE(c != NULL && (s0 = tu_session(c, 0)) != NULL && (s1 = tu_session(c, 1)) != NULL);
    REQUIRE_OK(lt_create(s0, UP_T));
    memset(model, 0, sizeof(model));
    for (int p = 0; p < sp->nphases; p++) {
        if (p > 0)
            memcpy(model[p], model[p - 1], sizeof(model[p]));
        REQUIRE_OK(apply(s0, &sp->ph[p], model[p]));
        REQUIRE(tu_checkpoint(c, 0, 0) != 0);
    }
    REQUIRE_OK(lt_pickup(c, 1, 0));
    for (int p = sp->ts_reads ? 0 : sp->nphases - 1; p < sp->nphases; p++)
        for (int i = 0; i < NKEYS; i++) {
            snprintf(key, sizeof(key), "%d", i);
            if (!CHECK_GET_AT(s1, UP_T, key, sp->ts_reads ? sp->ph[p].ts : 0,
                  model[p][i][0] == '\0' ? NULL : model[p][i]))
                break; /* one failure per phase is enough */
        }
}

#define A100                                                                                       \
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" \
    "aaaaaaaa"
#define P_ALL(ts, v)             \
    {                            \
        ts, 0, 100, 1, OP_PUT, v \
    }
static const spec09 rw_ts = {2, {P_ALL(5, A100), {10, 0, 100, 10, OP_PUT, "bbbb"}}, 1};
static const spec09 rw = {2, {P_ALL(5, A100), {10, 0, 100, 10, OP_PUT, "bbbb"}}, 0};
static const spec09 mod_ts = {2, {P_ALL(5, "aaaa"), {10, 0, 100, 10, OP_MODIFY, NULL}}, 1};
static const spec09 modify09 = {2, {P_ALL(5, "aaaa"), {10, 0, 100, 10, OP_MODIFY, NULL}}, 0};
static const spec09 del_ts = {2, {P_ALL(5, "aaaa"), {10, 0, 100, 10, OP_REMOVE, NULL}}, 1};
static const spec09 del = {2, {P_ALL(5, "aaaa"), {10, 0, 100, 10, OP_REMOVE, NULL}}, 0};
static const spec09 ins_ts = {2, {P_ALL(5, "aaaa"), {10, 100, 105, 1, OP_PUT, "aaaa"}}, 1};
static const spec09 ins = {2, {P_ALL(5, "aaaa"), {10, 100, 105, 1, OP_PUT, "aaaa"}}, 0};
static const spec09 multi_ts = {3,
  {P_ALL(5, "aaaa"), {10, 0, 100, 10, OP_PUT, "bbbb"}, {15, 0, 100, 20, OP_PUT, "cccc"}}, 1};
static const spec09 multi = {3,
  {P_ALL(5, "aaaa"), {10, 0, 100, 10, OP_PUT, "bbbb"}, {15, 0, 100, 20, OP_PUT, "cccc"}}, 0};
static const spec09 delins_ts = {3,
  {P_ALL(5, "aaaa"), {10, 0, 100, 10, OP_REMOVE, NULL}, {15, 0, 100, 20, OP_PUT, "bbbb"}}, 1};
static const spec09 delins = {3,
  {P_ALL(5, "aaaa"), {10, 0, 100, 10, OP_REMOVE, NULL}, {15, 0, 100, 20, OP_PUT, "bbbb"}}, 0};

/* Every key [0, n) reads v1, except i % mod == 0 which reads v2 (mod 0: none). */
static void
check_all(lt_session *s, int n, const char *v1, int mod, const char *v2)
{
    char key[16];
    for (int i = 0; i < n; i++) {
        snprintf(key, sizeof(key), "%d", i);
        if (!CHECK_GET(s, UP_T, key, mod != 0 && i % mod == 0 ? v2 : v1))
            return;
    }
}

/*
 * test_layered12.py::test_layered12: a follower picks up the older of two published checkpoints,
 * then the newer.
 */
static void
t12(const void *arg)
{
    lt_cluster *c = tu_open(2);
    lt_session *s0, *s1;
    uint64_t id1, id2;
    up_clock k = {0};
    char key[16];

    (void)arg;
    REQUIRE(c != NULL && (s0 = tu_session(c, 0)) != NULL && (s1 = tu_session(c, 1)) != NULL);
    REQUIRE_OK(lt_create(s0, UP_T));
    for (int i = 0; i < 500; i++)
        REQUIRE_OK(
          up_put(s0, UP_T, (snprintf(key, sizeof(key), "%d", i), key), "aaa", up_tick(&k)));
    REQUIRE((id1 = tu_checkpoint(c, 0, 0)) != 0);
    for (int i = 0; i < 500; i += 10)
        REQUIRE_OK(
          up_put(s0, UP_T, (snprintf(key, sizeof(key), "%d", i), key), "bbb", up_tick(&k)));
    REQUIRE((id2 = tu_checkpoint(c, 0, 0)) != 0);
    if (CHECK_OK(lt_pickup(c, 1, id1)))
        check_all(s1, 500, "aaa", 0, NULL);
    CHECK_OK(lt_pickup(c, 1, id2));
    check_all(s1, 500, "aaa", 10, "bbb");
}

/*
 * test_layered20.py::test_layered_read_write[layered,ts|non-ts]: 32 checkpointed versions of one
 * key; a follower at the last checkpoint reads each version at its timestamp, or the latest.
 */
static void
t20(const void *arg)
{
    lt_cluster *c = tu_open(2);
    lt_session *s0, *s1;
    char key[16], val[16];

    REQUIRE(c != NULL && (s0 = tu_session(c, 0)) != NULL && (s1 = tu_session(c, 1)) != NULL);
    REQUIRE_OK(lt_create(s0, UP_T));
    for (int i = 0; i < 10; i++)
        REQUIRE_OK(up_put(s0, UP_T, (snprintf(key, sizeof(key), "%d", i), key), A100, 5));
    REQUIRE(tu_checkpoint(c, 0, 0) != 0);
    for (int j = 0; j < 32; j++) {
        snprintf(val, sizeof(val), "%d", 10 + 5 * j);
        REQUIRE_OK(up_put(s0, UP_T, "0", val, 10 + 5 * (uint64_t)j));
        REQUIRE(tu_checkpoint(c, 0, 0) != 0);
    }
    REQUIRE_OK(lt_pickup(c, 1, 0));
    if (arg == NULL) { /* non-ts: the latest */
        CHECK_GET(s1, UP_T, "0", "165");
        CHECK_GET(s1, UP_T, "9", A100);
        return;
    }
    CHECK_GET_AT(s1, UP_T, "0", 5, A100);
    for (int j = 0; j < 32; j++) {
        snprintf(val, sizeof(val), "%d", 10 + 5 * j);
        if (!CHECK_GET_AT(s1, UP_T, "0", 10 + 5 * (uint64_t)j, val) ||
          !CHECK_GET_AT(s1, UP_T, "5", 10 + 5 * (uint64_t)j, A100))
            break; /* the first failure says it */
    }
}

/* Every key [0, 500) reads "<prefix><i>" at read_ts. */
static void
check_at(lt_session *s, uint64_t read_ts, const char *prefix)
{
    char key[16], val[32];
    for (int i = 0; i < 500; i += 3) {
        snprintf(key, sizeof(key), "%d", i);
        snprintf(val, sizeof(val), "%s%d", prefix, i);
        if (!CHECK_GET_AT(s, UP_T, key, read_ts, val))
            return;
    }
}

/*
 * test_layered25.py::test_layered25[layered-prefix]: the leader reads both versions at their
 * timestamps after checkpointing both; so does a node that steps up from the last checkpoint
 * (upstream restarts its connection there).
 */
static void
t25(const void *arg)
{
    lt_cluster *c = tu_open(2);
    lt_session *s0, *s1;
    char script[32];
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, 100};

    (void)arg;
    REQUIRE(c != NULL && (s0 = tu_session(c, 0)) != NULL && (s1 = tu_session(c, 1)) != NULL);
    REQUIRE_OK(lt_create(s0, UP_T));
    for (int v = 0; v < 2; v++) {
        tc.commit_ts = v == 0 ? 100 : 200;
        REQUIRE_OK(lt_txn_begin(s0, &tc));
        for (int i = 0; i < 500; i++) {
            snprintf(script, sizeof(script), "%d=%s%d", i, v == 0 ? "aaa" : "bbb", i);
            REQUIRE_OK(tu_write_in(s0, UP_T, script));
        }
        REQUIRE_OK(lt_txn_commit(s0, 0));
        REQUIRE(tu_checkpoint(c, 0, tc.commit_ts) != 0);
    }
    check_at(s0, 100, "aaa");
    check_at(s0, 200, "bbb");
    REQUIRE_OK(lt_pickup(c, 1, 0));
    REQUIRE_OK(lt_step_down(c, 0));
    REQUIRE_OK(lt_step_up(c, 1));
    check_at(s1, 200, "bbb");
    check_at(s1, 100, "aaa");
}

/*
 * test_layered35.py::test_layered_skip_empty_delta[layered]: a checkpoint at stable timestamp 5
 * after a commit at 10; a follower reads the state at 5.
 */
static void
t35(const void *arg)
{
    lt_cluster *c = tu_open(2);
    lt_session *s0, *s1;
    char key[16];

    (void)arg;
    REQUIRE(c != NULL && (s0 = tu_session(c, 0)) != NULL && (s1 = tu_session(c, 1)) != NULL);
    REQUIRE_OK(lt_create(s0, UP_T));
    for (int i = 0; i < 100; i++)
        REQUIRE_OK(up_put(s0, UP_T, (snprintf(key, sizeof(key), "%d", i), key), A100, 5));
    REQUIRE(tu_checkpoint(c, 0, 5) != 0);
    REQUIRE_OK(up_put(s0, UP_T, "1", "bbbb", 10));
    REQUIRE(tu_checkpoint(c, 0, 5) != 0);
    REQUIRE_OK(lt_pickup(c, 1, 0));
    for (int i = 0; i < 100; i++) {
        snprintf(key, sizeof(key), "%d", i);
        if (!CHECK_GET_AT(s1, UP_T, key, 5, A100))
            break;
    }
}

/* Scan the table at read_ts in direction dir with one cursor; count rows, check values. */
static void
scan58(lt_cursor *cur, int dir, int expect_rows, int with50)
{
    char key[LT_KEY_MAX + 1], got[32];
    int n = 0, rc;

    while ((rc = up_step(cur, dir, key)) == 0) {
        n++;
        if (strcmp(key, "50") == 0 && !CHECK(with50))
            continue;
        CHECK_EQ_STR(up_val(cur, got, sizeof(got)), strcmp(key, "50") == 0 ? "value2" : "value");
    }
    CHECK_RC(rc, WT_NOTFOUND);
    CHECK_EQ(n, expect_rows);
}

/*
 * test_layered58.py::test_cursor_walk_with_delta: after checkpoints at 20 and 30 the leader
 * walks the table at read timestamps 30 and 10, both directions, with one cursor.
 */
static void
t58(const void *arg)
{
    lt_cluster *c = tu_open(2);
    lt_session *s;
    lt_cursor *cur;
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 30, 0};
    char key[16];

    (void)arg;
    REQUIRE(c != NULL && (s = tu_session(c, 0)) != NULL);
    REQUIRE_OK(lt_create(s, UP_T));
    for (int i = 1; i < 100; i++)
        REQUIRE_OK(
          up_put(s, UP_T, (snprintf(key, sizeof(key), "%d", i), key), "value", i == 50 ? 20 : 10));
    REQUIRE(tu_checkpoint(c, 0, 20) != 0);
    REQUIRE_OK(up_put(s, UP_T, "50", "value2", 30));
    REQUIRE(tu_checkpoint(c, 0, 30) != 0);
    REQUIRE_OK(lt_cursor_open(s, UP_T, NULL, &cur));
    REQUIRE_OK(lt_txn_begin(s, &tc));
    scan58(cur, 1, 99, 1);
    scan58(cur, -1, 99, 1);
    CHECK_OK(lt_txn_rollback(s));
    tc.read_ts = 10;
    REQUIRE_OK(lt_txn_begin(s, &tc));
    scan58(cur, 1, 98, 0);
    scan58(cur, -1, 98, 0);
    CHECK_OK(lt_txn_rollback(s));
    lt_cursor_close(cur);
}

static const int one = 1;

static const up_case cases[] = {
  {"test_layered09.py::test_layered_read_write[layered,ts]", t09, &rw_ts},
  {"test_layered09.py::test_layered_read_write[layered,non-ts]", t09, &rw},
  {"test_layered09.py::test_layered_read_modify[layered,ts]", t09, &mod_ts},
  {"test_layered09.py::test_layered_read_modify[layered,non-ts]", t09, &modify09},
  {"test_layered09.py::test_layered_read_delete[layered,ts]", t09, &del_ts},
  {"test_layered09.py::test_layered_read_delete[layered,non-ts]", t09, &del},
  {"test_layered09.py::test_layered_read_insert[layered,ts]", t09, &ins_ts},
  {"test_layered09.py::test_layered_read_insert[layered,non-ts]", t09, &ins},
  {"test_layered09.py::test_layered_read_multiple_delta[layered,ts]", t09, &multi_ts},
  {"test_layered09.py::test_layered_read_multiple_delta[layered,non-ts]", t09, &multi},
  {"test_layered09.py::test_layered_read_delete_insert[layered,ts]", t09, &delins_ts},
  {"test_layered09.py::test_layered_read_delete_insert[layered,non-ts]", t09, &delins},
  {"test_layered12.py::test_layered12", t12, NULL},
  {"test_layered20.py::test_layered_read_write[layered,ts]", t20, &one},
  {"test_layered20.py::test_layered_read_write[layered,non-ts]", t20, NULL},
  {"test_layered25.py::test_layered25[layered-prefix]", t25, NULL},
  {"test_layered35.py::test_layered_skip_empty_delta[layered]", t35, NULL},
  {"test_layered58.py::test_cursor_walk_with_delta", t58, NULL},
};

int
main(int argc, char **argv)
{
    return up_main(cases, UP_NELEM(cases), "up_history", argc, argv);
}
