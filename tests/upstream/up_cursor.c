/*
 * up_cursor.c -- upstream's layered-cursor tests: positioning and walks over a log applied on
 * leader and follower, walks that meet a prepared key, a cursor held across a read-timestamp
 * commit, and every cursor operation from the slot of a key the cursor just removed.
 *
 * Re-expressed from wiredtiger/wiredtiger test/suite/ (read at these commits):
 *   test_layered_cursor01.py 32616f76cdc490f411dd3003974815c0f3ccb3d1
 *   test_layered_cursor02.py e391228b508a045eeea17844652097a1ac56bdb3
 *   test_layered_cursor03.py 9db7ecba4da7a8cf6fa20df43993b456a3015fe0
 *   test_layered_cursor04.py 614924e86cbbde36e3fa2785dd0ebabc78085e5c
 *   test_layered_cursor24.py 5c70f2e8b660c306fd9c6b6198b34255c7da6cc2
 *   test_layered_cursor25.py 0147d4ba5a2f2c2fca3a899a0bcba0357b4bfb03
 *   test_layered_cursor27.py 957940e521c5a92847b58a637bfb42e5b1145766
 *   test_layered_cursor28.py 047f13b7afb6915c3cd50d1ee0af5b99834cb33a
 * Integer keys are "%06d". Upstream's "plain table" scenarios (a non-layered table as the
 * reference) and cursor reserve() have no counterpart.
 */
#include "up_util.h"

#define K(i) up_k(i)

/* ---------------------------------------------------------------------------------------------
 * test_layered_cursor01.py: inserts, then updates and removes at an offset, applied on both
 * nodes; walks from five positions reached four ways, before and after checkpoint and pickup.
 */
typedef struct {
    int updates, removes, upd_off, rm_off; /* percent of 100 inserts per batch */
} c01;

static char c01_vals[200][32]; /* the expected table: "" for an absent key */

static int
c01_batch(up_env *e, const c01 *sp, int base, uint64_t *ts)
{
    char val[32];
    lt_session *ss[2] = {e->s0, e->s1};

    /* The same entries, at the same timestamps, on the leader and on the follower. */
    for (int n = 0; n < 2; n++) {
        uint64_t t = *ts;
        for (int i = base; i < base + 100; i++) {
            snprintf(val, sizeof(val), "v%" PRIu64, t);
            if (!CHECK_OK(up_put(ss[n], UP_T, K(i), val, ++t)))
                return 0;
            if (n == 0)
                strcpy(c01_vals[i], val);
        }
        for (int i = base + sp->upd_off; i < base + sp->upd_off + sp->updates; i++) {
            snprintf(val, sizeof(val), "v%" PRIu64, t);
            if (!CHECK_OK(up_put(ss[n], UP_T, K(i), val, ++t)))
                return 0;
            if (n == 0)
                strcpy(c01_vals[i], val);
        }
        for (int i = base + sp->rm_off; i < base + sp->rm_off + sp->removes; i++) {
            if (!CHECK_OK(up_put(ss[n], UP_T, K(i), NULL, ++t)))
                return 0;
            if (n == 0)
                c01_vals[i][0] = '\0';
        }
        if (n == 1)
            *ts = t;
    }
    return 1;
}

/* Walk from the cursor's row at index p of the present rows to the end in dir; then WT_NOTFOUND. */
static int
c01_walk(lt_cursor *cur, const int *rows, int nrows, int p, int dir)
{
    char key[LT_KEY_MAX + 1], got[32];
    for (int q = p + dir; q >= 0 && q < nrows; q += dir)
        if (!CHECK_OK(up_step(cur, dir, key)) || !CHECK_EQ_STR(key, K(rows[q])) ||
          !CHECK_EQ_STR(up_val(cur, got, sizeof(got)), c01_vals[rows[q]]))
            return 0;
    return CHECK_RC(up_step(cur, dir, key), WT_NOTFOUND);
}

/* Position a new cursor on row k by search, search_near, a next walk or a prev walk. */
static lt_cursor *
c01_position(lt_session *s, int how, int k)
{
    lt_cursor *cur;
    char key[LT_KEY_MAX + 1];
    int ex, rc = 0;

    if (!CHECK_OK(lt_cursor_open(s, UP_T, NULL, &cur)))
        return NULL;
    lt_cursor_set_key(cur, K(k));
    if (how == 0)
        rc = lt_cursor_search(cur);
    else if (how == 1)
        rc = lt_cursor_search_near(cur, &ex);
    else
        while ((rc = up_step(cur, how == 2 ? 1 : -1, key)) == 0 && strcmp(key, K(k)) != 0)
            ;
    if (!CHECK_OK(rc)) {
        lt_cursor_close(cur);
        return NULL;
    }
    return cur;
}

static void
c01_check(up_env *e)
{
    lt_session *ss[2] = {e->s0, e->s1};
    int rows[200], n = 0;

    for (int i = 0; i < 200; i++)
        if (c01_vals[i][0] != '\0')
            rows[n++] = i;
    for (int s = 0; s < 2; s++) {
        lt_cursor *cur;
        if (!CHECK_OK(lt_cursor_open(ss[s], UP_T, NULL, &cur)))
            return;
        c01_walk(cur, rows, n, -1, 1);
        CHECK_OK(lt_cursor_reset(cur));
        c01_walk(cur, rows, n, n, -1);
        lt_cursor_close(cur);
        if (n == 0)
            continue;
        int pos[5] = {0, n / 4, n / 2, 3 * n / 4, n - 1};
        for (int p = 0; p < 5; p++)
            for (int how = 0; how < 4; how++)
                for (int dir = 1; dir >= -1; dir -= 2) {
                    if ((cur = c01_position(ss[s], how, rows[pos[p]])) == NULL)
                        return;
                    int ok = c01_walk(cur, rows, n, pos[p], dir);
                    lt_cursor_close(cur);
                    if (!ok)
                        return;
                }
    }
}

static void
c01_case(const void *arg)
{
    const c01 *sp = arg;
    uint64_t ts = 1;
    up_env e;

    memset(c01_vals, 0, sizeof(c01_vals));
    REQUIRE(up_env_open(&e, 1));
    c01_check(&e);
    if (sp == NULL) { /* test_empty_tables */
        REQUIRE(tu_checkpoint(e.c, 0, 1) != 0);
        c01_check(&e);
        REQUIRE_OK(lt_pickup(e.c, 1, 0));
        c01_check(&e);
        return;
    }
    for (int batch = 0; batch < 2; batch++) {
        REQUIRE(c01_batch(&e, sp, batch * 100, &ts));
        c01_check(&e);
        REQUIRE(tu_checkpoint(e.c, 0, ts) != 0);
        c01_check(&e);
        REQUIRE_OK(lt_pickup(e.c, 1, 0));
        c01_check(&e);
    }
}

static const c01 p_plain = {0, 0, 0, 0}, p_u20 = {20, 0, 0, 0}, p_u50 = {50, 0, 0, 0},
                 p_u70 = {70, 0, 0, 0}, p_r20 = {0, 20, 0, 0}, p_r50 = {0, 50, 0, 0},
                 p_r70 = {0, 70, 0, 0}, p_r20u50 = {50, 20, 0, 0}, p_r20o = {0, 20, 0, 20},
                 p_r20u20o = {20, 20, 0, 20};

/* ---------------------------------------------------------------------------------------------
 * test_layered_cursor02.py: walks on a lone follower that meet a prepared key at 50, read at 60.
 */
typedef struct {
    int prepared, dir, kind; /* kind 0: resume after commit, 1: prev after next conflicts */
    unsigned keys;           /* bit k: key k committed at 20 */
} c02;

static void
c02_case(const void *arg)
{
    const c02 *sp = arg;
    lt_cluster *c = up_open_leaderless(2);
    lt_session *s, *ps;
    lt_cursor *cur;
    lt_txn_config rt = {LT_ISO_SNAPSHOT, 60, 0};
    char script[256] = "", key[LT_KEY_MAX + 1];
    unsigned seen = 0;
    const char *k;

    REQUIRE(c != NULL && (s = tu_session(c, 0)) != NULL && (ps = tu_session(c, 0)) != NULL);
    REQUIRE_OK(lt_create(s, UP_T));
    for (int i = 1; i < 8; i++)
        if (sp->keys & (1u << i))
            snprintf(script + strlen(script), sizeof(script) - strlen(script), "%s=value_%d ", K(i),
              i);
    REQUIRE_OK(tu_write(s, UP_T, 20, script));
    REQUIRE_OK(up_prepare_put(ps, UP_T, K(sp->prepared), "prepared_value", 60, 50));
    REQUIRE_OK(lt_cursor_open(s, UP_T, NULL, &cur));
    REQUIRE_OK(lt_txn_begin(s, &rt));
    if (sp->kind == 1) {
        lt_cursor_set_key(cur, K(1));
        CHECK_OK(lt_cursor_search(cur));
        CHECK_RC(lt_cursor_next(cur), WT_PREPARE_CONFLICT);
        if (CHECK_OK(lt_cursor_prev(cur)) && CHECK_OK(lt_cursor_get_key(cur, &k)))
            CHECK((sp->keys | (1u << sp->prepared)) & (1u << atoi(k)));
        CHECK_OK(lt_txn_rollback(ps));
    } else {
        int rc, steps = 0;
        while ((rc = up_step(cur, sp->dir, key)) == 0 && steps++ < 20)
            seen |= 1u << atoi(key);
        CHECK_RC(rc, WT_PREPARE_CONFLICT);
        CHECK_OK(lt_txn_commit(ps, 0));
        while ((rc = up_step(cur, sp->dir, key)) == 0 && steps++ < 40)
            seen |= 1u << atoi(key);
        CHECK_EQ(seen, sp->keys);
    }
    lt_txn_rollback(s);
    lt_cursor_close(cur);
}

static const c02 c02_next = {3, 1, 0, 0x3e}, c02_prev = {3, -1, 0, 0x3e};
static const c02 c02_first = {1, 1, 0, 0x3e}, c02_np = {2, 1, 1, 0x2a};

/* test_layered_cursor02.py::test_overwrite_update_then_next_on_follower (its _overwrite class). */
static void
c02_overwrite(const void *arg)
{
    up_env e;
    lt_cursor *cur;
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, 25};
    char key[LT_KEY_MAX + 1];
    unsigned seen = 0;
    int steps = 0;

    (void)arg;
    REQUIRE(up_env_open(&e, 1));
    for (int i = 1; i <= 5; i++)
        REQUIRE_OK(up_put(e.s0, UP_T, K(i), "v", 10 + (uint64_t)i));
    REQUIRE(tu_checkpoint(e.c, 0, 20) != 0);
    REQUIRE_OK(lt_pickup(e.c, 1, 0));
    REQUIRE_OK(lt_cursor_open(e.s1, UP_T, "overwrite=true", &cur));
    REQUIRE_OK(lt_txn_begin(e.s1, &tc));
    lt_cursor_set_key(cur, K(3));
    lt_cursor_set_value(cur, "updated_3", 9);
    CHECK_OK(lt_cursor_update(cur));
    REQUIRE_OK(lt_txn_commit(e.s1, 0));
    tc.commit_ts = 0;
    tc.read_ts = 25;
    REQUIRE_OK(lt_txn_begin(e.s1, &tc));
    while (up_step(cur, 1, key) == 0 && steps++ < 10)
        seen |= 1u << atoi(key);
    CHECK_EQ(seen, 0x3eu);
    lt_txn_rollback(e.s1);
    lt_cursor_close(cur);
}

/* test_layered_cursor03.py::test_layered_cursor03 and cursor04: create, cursor, three rows. */
static void
c03(const void *arg)
{
    lt_cluster *c = tu_open(2);
    lt_session *s;
    lt_cursor *cur;

    REQUIRE(c != NULL && (s = tu_session(c, 0)) != NULL);
    REQUIRE_OK(lt_create(s, UP_T));
    REQUIRE_OK(lt_cursor_open(s, UP_T, NULL, &cur));
    CHECK_OK(lt_cursor_close(cur));
    if (arg != NULL) {
        CHECK_OK(tu_write(s, UP_T, 1, "Hello=World Hi=There OK=Go"));
        CHECK_GET(s, UP_T, "Hello", "World");
        CHECK_SCAN(s, UP_T, "Hello=World Hi=There OK=Go");
    }
}

/*
 * test_layered_cursor24.py::test_no_reopen_while_positioned_on_stable: a follower cursor on a
 * stable-only key, a newer checkpoint picked up, then a positioned update in a transaction
 * reading at 1. (Upstream also counts stable reopens; no counterpart.)
 */
static void
c24(const void *arg)
{
    up_env e;
    lt_cursor *cur;
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 1, 3};

    (void)arg;
    REQUIRE(up_env_open(&e, 1));
    REQUIRE_OK(up_put(e.s0, UP_T, K(1), "v1", 1));
    REQUIRE(tu_checkpoint(e.c, 0, 1) != 0);
    REQUIRE_OK(lt_pickup(e.c, 1, 0));
    REQUIRE_OK(lt_cursor_open(e.s1, UP_T, NULL, &cur));
    lt_cursor_set_key(cur, K(1));
    CHECK_OK(lt_cursor_search(cur));
    REQUIRE_OK(up_put(e.s0, UP_T, K(2), "v2", 2));
    REQUIRE(tu_checkpoint(e.c, 0, 2) != 0);
    REQUIRE_OK(lt_pickup(e.c, 1, 0));
    if (CHECK_OK(lt_txn_begin(e.s1, &tc))) {
        lt_cursor_set_value(cur, "v3", 2);
        CHECK_OK(lt_cursor_update(cur));
        CHECK_OK(lt_txn_commit(e.s1, 0));
    }
    lt_cursor_close(cur);
}

/*
 * test_layered_cursor25.py: a follower reader parked on a key the leader then removes; after the
 * pickup of the checkpoint without it, the reader's next step does not fail.
 */
static void
c25(const void *arg)
{
    up_env e;
    lt_cursor *cur;
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 150, 0};
    int rc;

    (void)arg;
    REQUIRE(up_env_open(&e, 1));
    REQUIRE_OK(tu_write(e.s0, UP_T, 10, "a=v-a m=v-m z=v-z"));
    REQUIRE(tu_checkpoint(e.c, 0, 100) != 0);
    REQUIRE_OK(lt_pickup(e.c, 1, 0));
    REQUIRE_OK(lt_cursor_open(e.s1, UP_T, NULL, &cur));
    REQUIRE_OK(lt_txn_begin(e.s1, &tc));
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "a");
    REQUIRE_OK(tu_write(e.s0, UP_T, 140, "-a"));
    REQUIRE(tu_checkpoint(e.c, 0, 300) != 0);
    CHECK_OK(lt_pickup(e.c, 1, 0));
    rc = lt_cursor_next(cur);
    CHECK_RC2(rc, 0, WT_NOTFOUND);
    lt_txn_rollback(e.s1);
    lt_cursor_close(cur);
}

/*
 * test_layered_cursor27.py::test_prev_after_commit / test_next_after_commit [leader|follower]: a
 * cursor that read key 20 at read timestamp 10 steps to its neighbour after the commit, at
 * latest (key 10, written at 20, is then visible).
 */
static void
c27(const void *arg)
{
    const int *v = arg; /* bit 0: follower, bit 1: next (else prev) */
    up_env e;
    lt_session *r;
    lt_cursor *cur;
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 10, 0};

    REQUIRE(up_env_open(&e, *v & 1));
    r = e.sut;
    REQUIRE_OK(up_put(e.s0, UP_T, K(20), "a20", 10));
    REQUIRE_OK(up_put(e.s0, UP_T, K(30), "a30", 10));
    REQUIRE_OK(up_put(e.s0, UP_T, K(10), "a10", 20));
    if (*v & 1) {
        REQUIRE(tu_checkpoint(e.c, 0, 20) != 0);
        REQUIRE_OK(lt_pickup(e.c, 1, 0));
    }
    REQUIRE_OK(up_put(r, UP_T, K(20), "b20", 21));
    REQUIRE_OK(lt_cursor_open(r, UP_T, NULL, &cur));
    if (CHECK_OK(lt_txn_begin(r, &tc))) {
        CHECK_CUR_KEY(lt_cursor_next(cur), cur, K(20));
        CHECK_CUR_VAL(cur, "a20");
        CHECK_OK(lt_txn_commit(r, 0));
    }
    if (*v & 2) {
        CHECK_CUR_KEY(lt_cursor_next(cur), cur, K(30));
        CHECK_CUR_VAL(cur, "a30");
    } else {
        CHECK_CUR_KEY(lt_cursor_prev(cur), cur, K(10));
        CHECK_CUR_VAL(cur, "a10");
    }
    lt_cursor_close(cur);
}

static const int v27[4] = {0, 1, 2, 3};

/* ---------------------------------------------------------------------------------------------
 * test_layered_cursor28.py: keys 10..50; in a transaction the cursor searches 30 and removes it,
 * then one operation runs from that slot, then a next() or prev(); the checks are what a plain
 * WiredTiger table reports. Every operation's transaction rolls back.
 */
enum {
    GET_KEY,
    GET_VALUE,
    NEXT,
    PREV,
    SEARCH,
    SEARCH_NEAR,
    RESET,
    LARGEST,
    UPDATE,
    INSERT,
    REMOVE,
    REMOVE_BY_KEY,
    MODIFY
};

typedef struct {
    int op, unpositioned, key_arg; /* key_arg: the key set before the op, 0 none */
    int rc, exact;                 /* the op's return (exact: search_near's) */
    int op_key;                    /* key left in the cursor, -1 none */
    int follow, follow_key;        /* follow +1 next, -1 prev; the key it lands on */
} c28;

static void
c28_run(up_env *e, const c28 *sp)
{
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, 100};
    lt_cursor *cur;
    WT_MODIFY m;
    const char *k;
    const void *v;
    size_t vl;
    int rc, ex = 99;

    if (!CHECK_OK(lt_txn_begin(e->sut, &tc)))
        return;
    REQUIRE_OK(lt_cursor_open(e->sut, UP_T, NULL, &cur));
    lt_cursor_set_key(cur, K(30));
    CHECK_OK(lt_cursor_search(cur));
    CHECK_OK(lt_cursor_remove(cur));
    if (sp->unpositioned)
        CHECK_OK(lt_cursor_reset(cur));
    if (sp->key_arg != 0)
        lt_cursor_set_key(cur, K(sp->key_arg));
    memset(&m, 0, sizeof(m));
    m.data.data = "X";
    m.data.size = 1;
    switch (sp->op) {
    case GET_KEY:
        rc = lt_cursor_get_key(cur, &k);
        break;
    case GET_VALUE:
        rc = lt_cursor_get_value(cur, &v, &vl);
        break;
    case NEXT:
        rc = lt_cursor_next(cur);
        break;
    case PREV:
        rc = lt_cursor_prev(cur);
        break;
    case SEARCH:
        rc = lt_cursor_search(cur);
        break;
    case SEARCH_NEAR:
        rc = lt_cursor_search_near(cur, &ex);
        break;
    case RESET:
        rc = lt_cursor_reset(cur);
        break;
    case LARGEST:
        rc = lt_cursor_largest_key(cur);
        break;
    case UPDATE:
        lt_cursor_set_value(cur, "X", 1);
        rc = lt_cursor_update(cur);
        break;
    case INSERT:
        lt_cursor_set_value(cur, "X", 1);
        rc = lt_cursor_insert(cur);
        break;
    case MODIFY:
        rc = lt_cursor_modify(cur, &m, 1);
        break;
    default:
        rc = lt_cursor_remove(cur);
        break;
    }
    CHECK_RC(rc, sp->rc);
    if (sp->op == SEARCH_NEAR && rc == 0)
        CHECK_EQ(ex, sp->exact);
    if (sp->op_key < 0)
        CHECK_ERR(lt_cursor_get_key(cur, &k));
    else if (CHECK_OK(lt_cursor_get_key(cur, &k)))
        CHECK_EQ_STR(k, K(sp->op_key));
    CHECK_CUR_KEY(sp->follow > 0 ? lt_cursor_next(cur) : lt_cursor_prev(cur), cur,
      K(sp->follow_key));
    lt_txn_rollback(e->sut);
    lt_cursor_close(cur);
}

/* A method (up to two runs: upstream checks some with next and with prev) and the role. */
typedef struct {
    c28 run[2];
    int nrun, follower;
} c28v;

static void
c28_case(const void *arg)
{
    const c28v *sp = arg;
    up_env e;

    REQUIRE(up_env_open(&e, sp->follower));
    for (int i = 1; i <= 5; i++) {
        char v[16];
        snprintf(v, sizeof(v), "orig%d", i * 10);
        REQUIRE_OK(up_put(e.s0, UP_T, K(i * 10), v, (uint64_t)i));
    }
    if (sp->follower) {
        REQUIRE(tu_checkpoint(e.c, 0, 0) != 0);
        REQUIRE_OK(lt_pickup(e.c, 1, 0));
    }
    for (int r = 0; r < sp->nrun; r++)
        c28_run(&e, &sp->run[r]);
}

#define NF WT_NOTFOUND
#define M1(op, un, ka, rc, ex, ok, fk) {{op, un, ka, rc, ex, ok, 1, fk}}, 1
#define M2(op, un, ka, ok, fk1, fk2) \
    {{op, un, ka, NF, 0, ok, 1, fk1}, {op, un, ka, NF, 0, ok, -1, fk2}}, 2
#define BOTHROLES(name, m) static const c28v name##_l = {m, 0}, name##_f = {m, 1}
BOTHROLES(get_key, M1(GET_KEY, 0, 0, 0, 0, 30, 40));
BOTHROLES(get_value, M1(GET_VALUE, 0, 0, EINVAL, 0, 30, 40));
BOTHROLES(next, M1(NEXT, 0, 0, 0, 0, 40, 50));
BOTHROLES(prev, M1(PREV, 0, 0, 0, 0, 20, 40));
BOTHROLES(search, M1(SEARCH, 0, 30, NF, 0, 30, 10));
BOTHROLES(search_near, M1(SEARCH_NEAR, 0, 30, 0, 1, 40, 50));
BOTHROLES(reset, M1(RESET, 0, 0, 0, 0, -1, 10));
BOTHROLES(largest_key, M1(LARGEST, 0, 0, 0, 0, 50, 10));
BOTHROLES(update, M1(UPDATE, 0, 0, 0, 0, 30, 40));
BOTHROLES(insert, M1(INSERT, 0, 30, 0, 0, -1, 10));
BOTHROLES(remove, M2(REMOVE, 0, 0, -1, 10, 50));
BOTHROLES(remove_by_key_missing, M2(REMOVE_BY_KEY, 1, 25, 25, 10, 50));
BOTHROLES(remove_by_key_removed, M2(REMOVE_BY_KEY, 1, 30, 30, 10, 50));
BOTHROLES(modify, M1(MODIFY, 0, 0, NF, 0, 30, 10));

#define T28(m)                                                              \
    {"test_layered_cursor28.py::test_" #m "[leader]", c28_case, &m##_l},    \
    {                                                                       \
        "test_layered_cursor28.py::test_" #m "[follower]", c28_case, &m##_f \
    }
#define T01(m, p)                                        \
    {                                                    \
        "test_layered_cursor01.py::test_" m, c01_case, p \
    }

static const int one = 1;

static const up_case cases[] = {
  T01("empty_tables", NULL),
  T01("populated_tables", &p_plain),
  T01("populated_tables_with_updates_20_percent", &p_u20),
  T01("populated_tables_with_updates_50_percent", &p_u50),
  T01("populated_tables_with_updates_70_percent", &p_u70),
  T01("populated_tables_with_removes_20_percent", &p_r20),
  T01("populated_tables_with_removes_50_percent", &p_r50),
  T01("populated_tables_with_removes_70_percent", &p_r70),
  T01("populated_tables_with_removes_20_updates_50_percent", &p_r20u50),
  T01("populated_tables_with_removes_20_percent_offset", &p_r20o),
  T01("populated_tables_with_removes_20_updates_20_percent_offset", &p_r20u20o),
  {"test_layered_cursor02.py::test_next_walk_prepare_conflict_mid_scan", c02_case, &c02_next},
  {"test_layered_cursor02.py::test_prev_walk_prepare_conflict_mid_scan", c02_case, &c02_prev},
  {"test_layered_cursor02.py::test_next_walk_prepare_conflict_first_key", c02_case, &c02_first},
  {"test_layered_cursor02.py::test_next_then_prev_after_prepare_conflict", c02_case, &c02_np},
  {"test_layered_cursor02.py::test_overwrite_update_then_next_on_follower", c02_overwrite, NULL},
  {"test_layered_cursor03.py::test_layered_cursor03", c03, NULL},
  {"test_layered_cursor04.py::test_layered_cursor04", c03, &one},
  {"test_layered_cursor24.py::test_no_reopen_while_positioned_on_stable", c24, NULL},
  {"test_layered_cursor25.py::test_reopen_stable_key_pruned_by_leader_local_obsolescence", c25,
    NULL},
  {"test_layered_cursor27.py::test_prev_after_commit[leader]", c27, &v27[0]},
  {"test_layered_cursor27.py::test_prev_after_commit[follower]", c27, &v27[1]},
  {"test_layered_cursor27.py::test_next_after_commit[leader]", c27, &v27[2]},
  {"test_layered_cursor27.py::test_next_after_commit[follower]", c27, &v27[3]},
  T28(get_key),
  T28(get_value),
  T28(next),
  T28(prev),
  T28(search),
  T28(search_near),
  T28(reset),
  T28(largest_key),
  T28(update),
  T28(insert),
  T28(remove),
  T28(remove_by_key_missing),
  T28(remove_by_key_removed),
  T28(modify),
};

int
main(int argc, char **argv)
{
    return up_main(cases, UP_NELEM(cases), "up_cursor", argc, argv);
}
