/*
 * test_cursor_fidelity.c -- the layered cursor's states after a failed or partial operation, as
 * upstream's layered cursor keeps them (layered/lt_cursor.h), on the leader and on a follower:
 * a step that meets a prepared key stays past the last key it returned; a failed search or
 * search_near keeps the key; an overwrite update through a cursor that never read holds its key
 * unpositioned; a remove by key of an absent key is WT_NOTFOUND, a remove from a position the
 * cursor read needs no lookup.
 *
 * Table: stable a c e g (checkpoint 20); the follower's ingest also holds b d f (ts 30).
 */
#include "util.h"

static lt_cluster *
setup(void)
{
    lt_cluster *c = tu_open(2);
    lt_session *s;

    if (c == NULL || tu_setup_table(c, "t", 10, "a=s c=s e=s g=s", 20) == 0)
        return NULL;
    if ((s = tu_session(c, 1)) == NULL || !CHECK_OK(tu_write(s, "t", 30, "b=i d=i f=i")))
        return NULL;
    lt_session_close(s);
    return c;
}

static int
begin(lt_session *s, uint64_t read_ts, uint64_t commit_ts)
{
    lt_txn_config tc = {LT_ISO_SNAPSHOT, read_ts, commit_ts};
    return lt_txn_begin(s, &tc);
}

/* Session p writes key = val (a remove when val is NULL), to commit at ts, and prepares it. */
static int
prepare(lt_session *p, const char *key, const char *val, uint64_t ts)
{
    char script[32];
    int rc;

    (void)snprintf(script, sizeof(script), val == NULL ? "-%s" : "%s=%s", key, val);
    if ((rc = begin(p, 0, ts)) != 0)
        return rc;
    if ((rc = tu_write_in(p, "t", script)) != 0) {
        (void)lt_txn_rollback(p);
        return rc;
    }
    return lt_txn_prepare(p, ts - 1);
}

/*
 * Walk from the start (dir +1) or the end (-1) into prepared d, then resolve it (commit or roll
 * back): the conflict leaves the cursor just past the last key returned, so the other way returns
 * that key, this way conflicts again, and after the resolution the walk goes on from it: the keys
 * met are all, in order, once (a follower's step may conflict a key early: ingest reads ahead).
 */
static void
walk_into_conflict(lt_cursor *cur, lt_session *p, int dir, bool commit, const char *all)
{
    char seen[16] = "";
    const char *k;
    size_t n = 0;
    int rc;

    while ((rc = dir > 0 ? lt_cursor_next(cur) : lt_cursor_prev(cur)) == 0 && n < 8)
        if (CHECK_OK(lt_cursor_get_key(cur, &k)))
            seen[n++] = k[0];
    CHECK_RC(rc, WT_PREPARE_CONFLICT);
    REQUIRE(n > 0);
    CHECK_ERR(lt_cursor_get_key(cur, &k)); /* no key, but a place */
    if (CHECK_OK(dir > 0 ? lt_cursor_prev(cur) : lt_cursor_next(cur)) &&
      CHECK_OK(lt_cursor_get_key(cur, &k)))
        CHECK(k[0] == seen[n - 1]); /* the other way: the last key itself */
    CHECK_RC(dir > 0 ? lt_cursor_next(cur) : lt_cursor_prev(cur), WT_PREPARE_CONFLICT);
    CHECK_OK(commit ? lt_txn_commit(p, 0) : lt_txn_rollback(p));
    while ((rc = dir > 0 ? lt_cursor_next(cur) : lt_cursor_prev(cur)) == 0 && n < 15)
        if (CHECK_OK(lt_cursor_get_key(cur, &k)))
            seen[n++] = k[0];
    CHECK_RC(rc, WT_NOTFOUND);
    CHECK_EQ_STR(seen, all);
}

static void
test_step_conflict_keeps_position(void)
{
    lt_cluster *c = setup();
    lt_session *r, *p;
    lt_cursor *cur;

    REQUIRE(c != NULL);
    for (int n = 0; n < 2; n++) {
        uint64_t ts = 40 + 20 * (uint64_t)n;

        REQUIRE((r = tu_session(c, n)) != NULL && (p = tu_session(c, n)) != NULL);
        REQUIRE_OK(lt_cursor_open(r, "t", NULL, &cur));
        REQUIRE_OK(prepare(p, "d", "P", ts));
        REQUIRE_OK(begin(r, ts + 5, 0));
        walk_into_conflict(cur, p, 1, true, n == 1 ? "abcdefg" : "acdeg");
        CHECK_OK(lt_txn_rollback(r));
        REQUIRE_OK(prepare(p, "d", NULL, ts + 10));
        REQUIRE_OK(begin(r, ts + 15, 0));
        walk_into_conflict(cur, p, -1, false, n == 1 ? "gfedcba" : "gedca");
        CHECK_CUR_KEY(lt_cursor_next(cur), cur, "a");
        CHECK_OK(lt_txn_rollback(r));
        CHECK_OK(lt_cursor_close(cur));
        lt_session_close(p);
        lt_session_close(r);
    }
    CHECK_OK(tu_close(c));
}

/* search and search_near that fail keep the application's key; a retry uses it. */
static void
test_failed_search_keeps_key(void)
{
    lt_cluster *c = setup();
    lt_session *r, *p;
    lt_cursor *cur;
    const char *k;
    int exact = 99;

    REQUIRE(c != NULL);
    for (int n = 0; n < 2; n++) {
        uint64_t ts = 40 + 20 * (uint64_t)n;

        REQUIRE((r = tu_session(c, n)) != NULL && (p = tu_session(c, n)) != NULL);
        REQUIRE_OK(lt_cursor_open(r, "t", NULL, &cur));
        lt_cursor_set_key(cur, "cc");
        CHECK_RC(lt_cursor_search(cur), WT_NOTFOUND);
        if (CHECK_OK(lt_cursor_get_key(cur, &k)))
            CHECK_EQ_STR(k, "cc");
        CHECK_CUR_KEY(lt_cursor_next(cur), cur, "a"); /* no position: from the first key */
        REQUIRE_OK(prepare(p, "cc", "P", ts));
        REQUIRE_OK(begin(r, ts + 5, 0));
        lt_cursor_set_key(cur, "cc");
        CHECK_RC(lt_cursor_search(cur), WT_PREPARE_CONFLICT);
        if (CHECK_OK(lt_cursor_get_key(cur, &k)))
            CHECK_EQ_STR(k, "cc");
        CHECK_RC(lt_cursor_search_near(cur, &exact), WT_PREPARE_CONFLICT);
        if (CHECK_OK(lt_cursor_get_key(cur, &k)))
            CHECK_EQ_STR(k, "cc");
        CHECK_OK(lt_txn_commit(p, 0));
        CHECK_CUR_KEY(lt_cursor_search_near(cur, &exact), cur, "cc");
        CHECK_EQ(exact, 0);
        CHECK_OK(lt_txn_rollback(r));
        CHECK_OK(lt_cursor_close(cur));
        lt_session_close(p);
        lt_session_close(r);
    }
    CHECK_OK(tu_close(c));
}

/* largest_key holds the largest key without a position; an update blind to reads does too. */
static void
test_held_key_unpositioned(void)
{
    lt_cluster *c = setup();
    lt_session *s;
    lt_cursor *cur;
    const char *k;
    const void *v;
    size_t vl;

    REQUIRE(c != NULL);
    for (int n = 0; n < 2; n++) {
        REQUIRE((s = tu_session(c, n)) != NULL);
        REQUIRE_OK(lt_cursor_open(s, "t", NULL, &cur));
        CHECK_CUR_KEY(lt_cursor_largest_key(cur), cur, "g");
        CHECK_ERR(lt_cursor_get_value(cur, &v, &vl));
        CHECK_CUR_KEY(lt_cursor_next(cur), cur, "a");
        CHECK_OK(lt_cursor_close(cur));

        /* A cursor that never read: the update keeps the key, the walk starts at a. */
        REQUIRE_OK(lt_cursor_open(s, "t", NULL, &cur));
        REQUIRE_OK(begin(s, 0, 40 + (uint64_t)n));
        lt_cursor_set_key(cur, "e");
        lt_cursor_set_value(cur, "E", 1);
        CHECK_OK(lt_cursor_update(cur));
        if (CHECK_OK(lt_cursor_get_key(cur, &k)))
            CHECK_EQ_STR(k, "e");
        CHECK_CUR_KEY(lt_cursor_next(cur), cur, "a");
        /* Once it has read, an update positions it on its key. */
        lt_cursor_set_key(cur, "c");
        lt_cursor_set_value(cur, "C", 1);
        CHECK_OK(lt_cursor_update(cur));
        CHECK_CUR_KEY(lt_cursor_next(cur), cur, n == 1 ? "d" : "e");
        CHECK_OK(lt_txn_rollback(s));
        CHECK_OK(lt_cursor_close(cur));
        lt_session_close(s);
    }
    CHECK_OK(tu_close(c));
}

/* Remove by key looks the key up; from a read position it does not. */
static void
test_remove_lookup(void)
{
    lt_cluster *c = setup();
    lt_session *s, *o;
    lt_cursor *cur;
    const char *k;

    REQUIRE(c != NULL);
    for (int n = 0; n < 2; n++) {
        uint64_t ts = 40 + 20 * (uint64_t)n;

        REQUIRE((s = tu_session(c, n)) != NULL && (o = tu_session(c, n)) != NULL);
        REQUIRE_OK(lt_cursor_open(s, "t", NULL, &cur));
        REQUIRE_OK(begin(s, 0, ts));
        lt_cursor_set_key(cur, "cc"); /* absent: WT_NOTFOUND, overwrite or not; the key stays */
        CHECK_RC(lt_cursor_remove(cur), WT_NOTFOUND);
        if (CHECK_OK(lt_cursor_get_key(cur, &k)))
            CHECK_EQ_STR(k, "cc");
        CHECK_CUR_KEY(lt_cursor_next(cur), cur, "a");
        lt_cursor_set_key(cur, "e");
        CHECK_CUR_KEY(lt_cursor_search(cur), cur, "e");
        CHECK_OK(lt_cursor_remove(cur));
        if (CHECK_OK(lt_cursor_get_key(cur, &k)))
            CHECK_EQ_STR(k, "e");
        CHECK_RC(lt_cursor_remove(cur), WT_NOTFOUND); /* from its own remove: looked up */
        CHECK_ERR(lt_cursor_get_key(cur, &k));
        CHECK_CUR_KEY(lt_cursor_prev(cur), cur, "g");
        CHECK_OK(lt_txn_commit(s, 0));

        /* Another session removes the key this cursor read: the positioned remove is no error. */
        lt_cursor_set_key(cur, "c");
        CHECK_CUR_KEY(lt_cursor_search(cur), cur, "c");
        CHECK_OK(tu_write(o, "t", ts + 1, "-c"));
        REQUIRE_OK(begin(s, 0, ts + 2));
        CHECK_OK(lt_cursor_remove(cur));
        CHECK_OK(lt_txn_commit(s, 0));
        CHECK_OK(lt_cursor_close(cur));
        CHECK_SCAN(s, "t", n == 1 ? "a=s b=i d=i f=i g=s" : "a=s g=s");
        lt_session_close(o);
        lt_session_close(s);
    }
    CHECK_OK(tu_close(c));
}

int
main(void)
{
    TU_RUN(test_step_conflict_keeps_position);
    TU_RUN(test_failed_search_keeps_key);
    TU_RUN(test_held_key_unpositioned);
    TU_RUN(test_remove_lookup);
    return tu_finish();
}
