/*
 * up_prepare.c -- upstream's tests of layered cursors meeting prepared transactions: the key a
 * conflicting search_near or step leaves in the cursor, walks that stop at a prepared key and
 * resume after it resolves, prepared updates rolled back.
 *
 * Re-expressed from wiredtiger/wiredtiger test/suite/ (read at these commits):
 *   test_layered69.py 0a614ddb59d407ae72e46febfc42a7c68348e369
 *   test_layered73.py 0870d8e2cad7091b88b4bad04acb4d4efabf93b9
 *   test_layered74.py 0870d8e2cad7091b88b4bad04acb4d4efabf93b9
 *   test_layered84.py 0744d2d65a062230b430c0de85d85837891acd31
 *   test_layered100.py 2e3f832fb0fd8f7d3e0ef8d3a1373a86706cb421 (test_layered101.py 6f06d145...:
 *     the same test)
 * Integer keys are "%06d". Layered writes need their commit timestamp before they write, so a
 * prepared transaction here begins with its (later) commit timestamp, then prepares at upstream's
 * prepare timestamp.
 */
#include "up_util.h"

#define K(i) up_k(i)

/* In session s: write (or remove, val NULL) key k, to commit at 60, and prepare at pts. */
static int
prepare_put(lt_session *s, int k, const char *val, uint64_t pts)
{
    return up_prepare_put(s, UP_T, K(k), val, 60, pts);
}

/* Commit (at 60, durable 60) or roll back the prepared transaction. */
static int
resolve(lt_session *s, int commit)
{
    return commit ? lt_txn_commit(s, 0) : lt_txn_rollback(s);
}

/* Keys ks[] (-1 ends) as "value_<k>" in one transaction at ts on session s. */
static int
put_keys(lt_session *s, const int *ks, uint64_t ts)
{
    char script[64];
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, ts};
    int rc = lt_txn_begin(s, &tc);

    for (int i = 0; rc == 0 && ks[i] >= 0; i++) {
        snprintf(script, sizeof(script), "%s=value_%d", K(ks[i]), ks[i]);
        rc = tu_write_in(s, UP_T, script);
    }
    return rc != 0 ? (lt_txn_rollback(s), rc) : lt_txn_commit(s, 0);
}

typedef struct {
    int what;   /* 0 search_near on a prepared insert, 1 on a prepared remove, 2 next, 3 prev */
    int commit; /* resolve by commit, else rollback */
    int pickup; /* test_layered74: a newer checkpoint is picked up before the retry */
} p73;

/*
 * test_layered73.py (and test_layered74.py with a pickup between conflict and retry): keys 1 3 5
 * on a lone follower, a prepared write at 50, a reader at 60.
 */
static void
t73(const void *arg)
{
    const p73 *sp = arg;
    lt_cluster *c = sp->pickup ? tu_open(2) : up_open_leaderless(2);
    lt_session *s, *ps, *s0;
    lt_cursor *cur;
    lt_txn_config rt = {LT_ISO_SNAPSHOT, 60, 0};
    const char *k;
    int node = sp->pickup ? 1 : 0, ex = 99, pk = sp->what == 0 ? 2 : sp->what == 1 ? 3 : 0;

    REQUIRE(c != NULL && (s = tu_session(c, node)) != NULL && (ps = tu_session(c, node)) != NULL);
    REQUIRE_OK(lt_create(s, UP_T));
    if (sp->pickup) {
        REQUIRE((s0 = tu_session(c, 0)) != NULL);
        REQUIRE_OK(lt_create(s0, UP_T));
    }
    REQUIRE_OK(put_keys(s, (int[]){1, 3, 5, -1}, 20));
    if (sp->what >= 2)
        pk = sp->what == 2 ? 2 : 4;
    REQUIRE_OK(prepare_put(ps, pk, sp->what == 1 ? NULL : "prepared_value", 50));
    REQUIRE_OK(lt_cursor_open(s, UP_T, NULL, &cur));
    REQUIRE_OK(lt_txn_begin(s, &rt));
    if (sp->what <= 1) {
        lt_cursor_set_key(cur, K(pk));
        CHECK_RC(lt_cursor_search_near(cur, &ex), WT_PREPARE_CONFLICT);
        CHECK(lt_cursor_get_key(cur, &k) == 0 && strcmp(k, K(pk)) == 0);
        if (sp->pickup) {
            CHECK(tu_checkpoint(c, 0, 30) != 0);
            CHECK_OK(lt_pickup(c, 1, 0));
            CHECK(lt_cursor_get_key(cur, &k) == 0 && strcmp(k, K(pk)) == 0);
        }
        CHECK_OK(resolve(ps, sp->commit));
        if (sp->what == 0 && sp->commit) {
            CHECK_CUR_KEY(lt_cursor_search_near(cur, &ex), cur, K(2));
            CHECK_EQ(ex, 0);
            CHECK_CUR_VAL(cur, "prepared_value");
        } else if (sp->what == 0) {
            CHECK_CUR_KEY(lt_cursor_search_near(cur, &ex), cur, K(3));
            CHECK_EQ(ex, 1);
            CHECK_CUR_VAL(cur, "value_3");
        } else if (sp->commit) { /* the remove of 3 committed: a neighbour */
            CHECK(lt_cursor_search_near(cur, &ex) == 0 && (ex == -1 || ex == 1));
            CHECK(
              lt_cursor_get_key(cur, &k) == 0 && (strcmp(k, K(1)) == 0 || strcmp(k, K(5)) == 0));
        } else {
            CHECK_CUR_KEY(lt_cursor_search_near(cur, &ex), cur, K(3));
            CHECK_EQ(ex, 0);
            CHECK_CUR_VAL(cur, "value_3");
        }
    } else {
        int dir = sp->what == 2 ? 1 : -1, start = dir > 0 ? 1 : 5;
        lt_cursor_set_key(cur, K(start));
        CHECK_OK(lt_cursor_search(cur));
        CHECK_RC(dir > 0 ? lt_cursor_next(cur) : lt_cursor_prev(cur), WT_PREPARE_CONFLICT);
        CHECK_ERR(lt_cursor_get_key(cur, &k)); /* upstream: "requires key be set" */
        CHECK_CUR_KEY(dir > 0 ? lt_cursor_prev(cur) : lt_cursor_next(cur), cur, K(start));
        CHECK_OK(resolve(ps, sp->commit));
        if (sp->commit) {
            CHECK_CUR_KEY(dir > 0 ? lt_cursor_next(cur) : lt_cursor_prev(cur), cur, K(pk));
            CHECK_CUR_VAL(cur, "prepared_value");
        }
    }
    lt_txn_rollback(s);
    lt_cursor_close(cur);
}

static const p73 sn_c = {0, 1, 0}, sn_r = {0, 0, 0}, snd_c = {1, 1, 0}, snd_r = {1, 0, 0},
                 nx_c = {2, 1, 0}, nx_r = {2, 0, 0}, pv_c = {3, 1, 0}, pv_r = {3, 0, 0},
                 ck_c = {0, 1, 1}, ck_r = {0, 0, 1};

/* test_layered84.py: one walk of a follower cursor that meets a prepared key. */
typedef struct {
    unsigned leader, follower; /* key bit masks: bit k for key k */
    int prepared, dir, commit;
    unsigned before;    /* keys that must all come before the conflict; 0: no check */
    int conflict_first; /* the very first step conflicts */
    unsigned expect;    /* the keys of the whole walk */
} walk84;

static void
t84_walk(const void *arg)
{
    const walk84 *sp = arg;
    up_env e;
    lt_session *ps;
    lt_cursor *cur;
    lt_txn_config rt = {LT_ISO_SNAPSHOT, 60, 0};
    char key[LT_KEY_MAX + 1], val[32];
    unsigned seen = 0, before = 0;
    int rc, steps = 0, last = sp->dir > 0 ? -1 : 1000;

    REQUIRE(up_env_open(&e, 1) && (ps = tu_session(e.c, 1)) != NULL);
    for (int k = 1; k < 8; k++)
        if (sp->leader & (1u << k)) {
            snprintf(val, sizeof(val), "value_%d", k);
            REQUIRE_OK(up_put(e.s0, UP_T, K(k), val, 10 + (uint64_t)k));
        }
    REQUIRE(tu_checkpoint(e.c, 0, 20) != 0);
    REQUIRE_OK(lt_pickup(e.c, 1, 0));
    for (int k = 1; k < 8; k++)
        if (sp->follower & (1u << k)) {
            snprintf(val, sizeof(val), "committed_%d", k);
            REQUIRE_OK(up_put(e.s1, UP_T, K(k), val, 30 + (uint64_t)k));
        }
    REQUIRE_OK(prepare_put(ps, sp->prepared, "prepared_value", 50));
    REQUIRE_OK(lt_cursor_open(e.s1, UP_T, NULL, &cur));
    REQUIRE_OK(lt_txn_begin(e.s1, &rt));
    for (int phase = 0; phase < 2; phase++) {
        while ((rc = up_step(cur, sp->dir, key)) == 0 && steps++ < 20) {
            int k = atoi(key);
            CHECK(!(seen & (1u << k)));               /* each key once */
            CHECK(sp->dir > 0 ? k > last : k < last); /* in order */
            last = k;
            seen |= 1u << k;
            if (phase == 0)
                before |= 1u << k;
        }
        if (phase == 0) {
            CHECK_RC(rc, WT_PREPARE_CONFLICT);
            if (sp->conflict_first)
                CHECK_EQ(before, 0);
            if (sp->before != 0)
                CHECK_EQ(before, sp->before);
            CHECK_OK(resolve(ps, sp->commit));
        } else
            CHECK_RC(rc, WT_NOTFOUND);
    }
    CHECK_EQ(seen, sp->expect);
    lt_txn_rollback(e.s1);
    lt_cursor_close(cur);
}

#define B(k) (1u << (k))
#define R(lo, hi) (((1u << ((hi) + 1)) - 1) & ~((1u << (lo)) - 1))
static const walk84 w_mid_next = {R(1, 6), B(2) | B(4) | B(6), 4, 1, 1, 0, 0, R(1, 6)};
static const walk84 w_mid_prev = {R(1, 5), R(1, 5), 3, -1, 1, 0, 0, R(1, 5)};
static const walk84 w_cp_next = {R(1, 5), R(1, 3), 4, 1, 1, R(1, 3), 0, R(1, 5)};
static const walk84 w_cp_prev = {R(1, 5), R(3, 5), 2, -1, 1, R(3, 5), 0, R(1, 5)};
static const walk84 w_ingest = {B(1) | B(3) | B(5), B(2) | B(4), 6, 1, 1, 0, 0, R(1, 6)};
static const walk84 w_start_next = {R(1, 5), R(2, 5), 1, 1, 1, 0, 1, R(1, 5)};
static const walk84 w_end_prev = {R(1, 5), R(2, 5), 1, -1, 1, R(2, 5), 0, R(1, 5)};
static const walk84 w_end_next = {R(1, 5), R(1, 4), 5, 1, 1, R(1, 4), 0, R(1, 5)};
static const walk84 w_start_prev = {R(1, 5), R(1, 4), 5, -1, 1, 0, 1, R(1, 5)};
static const walk84 w_first = {R(1, 5), R(1, 5), 1, 1, 1, 0, 1, R(1, 5)};
static const walk84 w_rb_next = {B(1) | B(2) | B(4) | B(5), B(1) | B(2) | B(4) | B(5), 3, 1, 0, 0,
  0, B(1) | B(2) | B(4) | B(5)};
static const walk84 w_rb_prev = {B(1) | B(2) | B(4) | B(5), B(1) | B(2) | B(4) | B(5), 3, -1, 0, 0,
  0, B(1) | B(2) | B(4) | B(5)};

/*
 * test_layered84.py::test_overwrite_update_then_next_on_follower: a follower cursor searches 3,
 * overwrites it and commits; after a pickup, next() from the held cursor returns only keys > 3.
 */
static void
t84_update_next(const void *arg)
{
    up_env e;
    lt_cursor *cur;
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, 25};
    char key[LT_KEY_MAX + 1];
    int n = 0, rc;

    (void)arg;
    REQUIRE(up_env_open(&e, 1));
    for (int k = 1; k <= 5; k++)
        REQUIRE_OK(up_put(e.s0, UP_T, K(k), "v", 10 + (uint64_t)k));
    REQUIRE(tu_checkpoint(e.c, 0, 20) != 0);
    REQUIRE_OK(lt_pickup(e.c, 1, 0));
    REQUIRE_OK(lt_cursor_open(e.s1, UP_T, NULL, &cur));
    REQUIRE_OK(lt_txn_begin(e.s1, &tc));
    lt_cursor_set_key(cur, K(3));
    CHECK_OK(lt_cursor_search(cur));
    lt_cursor_set_key(cur, K(3));
    lt_cursor_set_value(cur, "updated_3", 9);
    CHECK_OK(lt_cursor_update(cur));
    REQUIRE_OK(lt_txn_commit(e.s1, 0));
    REQUIRE(tu_checkpoint(e.c, 0, 25) != 0);
    REQUIRE_OK(lt_pickup(e.c, 1, 0));
    tc.commit_ts = 0;
    tc.read_ts = 25;
    REQUIRE_OK(lt_txn_begin(e.s1, &tc));
    while ((rc = up_step(cur, 1, key)) == 0 && n++ < 10)
        CHECK(atoi(key) > 3);
    CHECK_RC(rc, WT_NOTFOUND);
    CHECK_GT(n, 0);
    lt_txn_rollback(e.s1);
    lt_cursor_close(cur);
}

/*
 * test_layered100.py::test_compare_guard_after_ingest_exhaust: the only ingest key is prepared
 * (at 15, below the picked-up checkpoint at 20); next() conflicts; after the rollback the walk
 * returns the stable keys 1 3 5.
 */
static void
t100(const void *arg)
{
    up_env e;
    lt_session *ps;
    lt_cursor *cur;
    lt_txn_config rt = {LT_ISO_SNAPSHOT, 20, 0};

    (void)arg;
    REQUIRE(up_env_open(&e, 1) && (ps = tu_session(e.c, 1)) != NULL);
    REQUIRE_OK(put_keys(e.s0, (int[]){1, 3, 5, -1}, 20));
    REQUIRE(tu_checkpoint(e.c, 0, 20) != 0);
    REQUIRE_OK(lt_pickup(e.c, 1, 0));
    REQUIRE_OK(prepare_put(ps, 2, "prepared_value", 15));
    REQUIRE_OK(lt_cursor_open(e.s1, UP_T, NULL, &cur));
    REQUIRE_OK(lt_txn_begin(e.s1, &rt));
    CHECK_RC(lt_cursor_next(cur), WT_PREPARE_CONFLICT);
    CHECK_OK(lt_txn_rollback(ps));
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, K(1));
    CHECK_CUR_VAL(cur, "value_1");
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, K(3));
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, K(5));
    CHECK_RC(lt_cursor_next(cur), WT_NOTFOUND);
    lt_txn_rollback(e.s1);
    lt_cursor_close(cur);
}

/*
 * test_layered69.py: a prepared write of key 19, rolled back, leaves the committed state: the
 * value (the method's second definition, a prepared remove, is the one Python keeps) or, after a
 * committed remove, no key.
 */
static void
t69(const void *arg)
{
    lt_cluster *c = tu_open(2);
    lt_session *s, *ps;
    int reinsert = arg != NULL;
    char key[16];

    REQUIRE(c != NULL && (s = tu_session(c, 0)) != NULL && (ps = tu_session(c, 0)) != NULL);
    REQUIRE_OK(lt_create(s, UP_T));
    for (int i = 1; i < 20; i++)
        REQUIRE_OK(
          up_put(s, UP_T, (snprintf(key, sizeof(key), "%06d", i), key), "commit_value", 21));
    if (reinsert)
        REQUIRE_OK(up_put(s, UP_T, K(19), NULL, 22));
    REQUIRE(tu_checkpoint(c, 0, reinsert ? 30 : 21) != 0);
    REQUIRE_OK(prepare_put(ps, 19, reinsert ? "prepared_value_20_3" : NULL, 35));
    CHECK_OK(lt_txn_rollback(ps));
    CHECK(tu_checkpoint(c, 0, reinsert ? 30 : 21) != 0);
    CHECK(tu_checkpoint(c, 0, 35) != 0);
    CHECK(tu_checkpoint(c, 0, 45) != 0);
    CHECK_GET(s, UP_T, K(19), reinsert ? NULL : "commit_value");
}

static const int one = 1;

#define T73(m, sc) "test_layered73.py::test_" m "[" sc "]"
#define T84(m) "test_layered84.py::test_" m

static const up_case cases[] = {
  {T73("search_near_key_preserved_on_prepare_conflict", "commit"), t73, &sn_c},
  {T73("search_near_key_preserved_on_prepare_conflict", "rollback"), t73, &sn_r},
  {T73("search_near_key_preserved_on_prepare_delete_conflict", "commit"), t73, &snd_c},
  {T73("search_near_key_preserved_on_prepare_delete_conflict", "rollback"), t73, &snd_r},
  {T73("next_key_preserved_on_prepare_conflict", "commit"), t73, &nx_c},
  {T73("next_key_preserved_on_prepare_conflict", "rollback"), t73, &nx_r},
  {T73("prev_key_preserved_on_prepare_conflict", "commit"), t73, &pv_c},
  {T73("prev_key_preserved_on_prepare_conflict", "rollback"), t73, &pv_r},
  {"test_layered74.py::test_search_near_with_checkpoint_between_retries[commit]", t73, &ck_c},
  {"test_layered74.py::test_search_near_with_checkpoint_between_retries[rollback]", t73, &ck_r},
  {T84("overwrite_update_then_next_on_follower"), t84_update_next, NULL},
  {T84("next_walk_prepare_conflict_mid_scan"), t84_walk, &w_mid_next},
  {T84("prev_walk_prepare_conflict_mid_scan"), t84_walk, &w_mid_prev},
  {T84("next_walk_committed_keys_then_prepared"), t84_walk, &w_cp_next},
  {T84("prev_walk_committed_keys_then_prepared"), t84_walk, &w_cp_prev},
  {T84("next_walk_ingest_only_committed_then_prepared"), t84_walk, &w_ingest},
  {T84("next_walk_conflict_at_start"), t84_walk, &w_start_next},
  {T84("prev_walk_conflict_at_end"), t84_walk, &w_end_prev},
  {T84("next_walk_conflict_at_end"), t84_walk, &w_end_next},
  {T84("prev_walk_conflict_at_start"), t84_walk, &w_start_prev},
  {T84("next_walk_prepare_conflict_first_key"), t84_walk, &w_first},
  {T84("next_walk_prepare_conflict_then_rollback"), t84_walk, &w_rb_next},
  {T84("prev_walk_prepare_conflict_then_rollback"), t84_walk, &w_rb_prev},
  {"test_layered100.py::test_compare_guard_after_ingest_exhaust", t100, NULL},
  {"test_layered101.py::test_compare_guard_after_ingest_exhaust", t100, NULL},
  {"test_layered69.py::test_rollback_prepared_update", t69, NULL},
  {"test_layered69.py::test_rollback_prepared_reinsert", t69, &one},
};

int
main(int argc, char **argv)
{
    return up_main(cases, UP_NELEM(cases), "up_prepare", argc, argv);
}
