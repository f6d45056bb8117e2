/*
 * test_park.c -- a follower cursor's parked ingest candidate (layered/merge.c, "Parked"): between
 * two steps outside a transaction, a position that came from stable alone keeps its ingest
 * candidate as it was, across any session's commits; a step inside a transaction, a pickup or
 * GC seeks afresh. Upstream's test_layered96 auto_auto cases (tests/upstream/up_txn.c) are the
 * reference; these cases add another session's writes, tombstones, a rollback, a pickup and the
 * eager settle's bound.
 *
 * Set-up: the leader (node 0) writes stable rows and checkpoints at 10; the follower (node 1)
 * picks it up. Follower writes above 10 land in its ingest.
 */
#include "util.h"

static lt_cluster *
setup(lt_session **s0, lt_session **s1, lt_session **s1b, const char *stable, const char *ingest)
{
    lt_cluster *c = tu_open(2);
    uint64_t id;

    if (c == NULL || (*s0 = tu_session(c, 0)) == NULL || (*s1 = tu_session(c, 1)) == NULL ||
      (*s1b = tu_session(c, 1)) == NULL || lt_create(*s0, "t") != 0 || lt_create(*s1, "t") != 0 ||
      tu_write(*s0, "t", 5, stable) != 0 || (id = tu_checkpoint(c, 0, 10)) == 0 ||
      lt_pickup(c, 1, id) != 0 || (ingest != NULL && tu_write(*s1, "t", 11, ingest) != 0)) {
        tu_fail(__FILE__, __LINE__, "set-up failed: %s", tu_lasterr());
        return NULL;
    }
    return c;
}

/* Another session's commits between two steps: the parked candidate reads as it was. */
static void
test_park_other_session(void)
{
    lt_session *s0, *s1, *s1b;
    lt_cursor *cur;
    lt_cluster *c = setup(&s0, &s1, &s1b, "a=1 c=3", "d=4");

    REQUIRE(c != NULL);
    REQUIRE_OK(lt_cursor_open(s1, "t", NULL, &cur));
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "a"); /* stable's; ingest's candidate: d */
    CHECK_OK(tu_write(s1b, "t", 12, "b=2 d=44"));
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "c"); /* b: after the candidate was computed */
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "d");
    CHECK_CUR_VAL(cur, "4");                      /* the parked row, as upstream's */
    CHECK_RC(lt_cursor_next(cur), WT_NOTFOUND);   /* ingest stepped afresh past d */
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "a"); /* from the start: a seek, afresh */
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "b");
    CHECK_OK(lt_cursor_close(cur));
    CHECK_OK(tu_close(c));
}

/* A step inside a transaction is an isolation boundary: it seeks afresh. */
static void
test_park_txn_boundary(void)
{
    lt_session *s0, *s1, *s1b;
    lt_cursor *cur;
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, 0};
    lt_cluster *c = setup(&s0, &s1, &s1b, "a=1 c=3", "d=4");

    REQUIRE(c != NULL);
    REQUIRE_OK(lt_cursor_open(s1, "t", NULL, &cur));
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "a");
    CHECK_OK(tu_write(s1b, "t", 12, "b=2 d=44"));
    CHECK_OK(lt_txn_begin(s1, &tc));
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "b");
    CHECK_OK(lt_txn_commit(s1, 0));
    /* Picked inside the transaction: the next step outside it parks nothing old. */
    CHECK_OK(tu_write(s1b, "t", 13, "d=444"));
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "c");
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "d");
    CHECK_CUR_VAL(cur, "444");
    CHECK_OK(lt_cursor_close(cur));
    CHECK_OK(tu_close(c));
}

/* A parked tombstone hides stable's row although the key was written again since. */
static void
test_park_tombstone(void)
{
    lt_session *s0, *s1, *s1b;
    lt_cursor *cur;
    lt_cluster *c = setup(&s0, &s1, &s1b, "a=1 b=2 c=3", "-c");

    REQUIRE(c != NULL);
    REQUIRE_OK(lt_cursor_open(s1, "t", NULL, &cur));
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "a");
    CHECK_OK(tu_write(s1b, "t", 12, "c=33"));
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "b");
    CHECK_RC(lt_cursor_next(cur), WT_NOTFOUND);   /* c: the parked tombstone */
    CHECK_CUR_KEY(lt_cursor_prev(cur), cur, "c"); /* afresh */
    CHECK_CUR_VAL(cur, "33");
    CHECK_OK(lt_cursor_close(cur));
    CHECK_OK(tu_close(c));
}

/* The copy outlives a rollback on the session (WiredTiger resets every cursor of the session). */
static void
test_park_survives_rollback(void)
{
    lt_session *s0, *s1, *s1b;
    lt_cursor *cur;
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, 12};
    lt_cluster *c = setup(&s0, &s1, &s1b, "a=1 c=3", "d=4");

    REQUIRE(c != NULL);
    REQUIRE_OK(lt_cursor_open(s1, "t", NULL, &cur));
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "a");
    CHECK_OK(tu_write(s1b, "t", 12, "d=44"));
    CHECK_OK(lt_txn_begin(s1, &tc));
    CHECK_OK(tu_write_in(s1, "t", "e=5"));
    CHECK_OK(lt_txn_rollback(s1));
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "c");
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "d");
    CHECK_CUR_VAL(cur, "4");
    CHECK_OK(lt_cursor_close(cur));
    CHECK_OK(tu_close(c));
}

/*
 * The candidate is a copy: once the release has reset the ingest cursor, eviction may free the
 * page and the update it was read from (here, a 1 MB cache and 1.2 MB written to another table).
 */
static void
test_park_copy_outlives_eviction(void)
{
    lt_cluster_config cfg;
    lt_session *s0, *s1, *s1b;
    lt_cursor *cur, *other;
    char w[40000], v[300];
    uint64_t id;
    int i, j, n;
    lt_cluster *c;

    tu_config(&cfg, 2);
    cfg.wt_config = "cache_size=1MB";
    REQUIRE((c = tu_open_cfg(&cfg)) != NULL);
    REQUIRE((s0 = tu_session(c, 0)) != NULL && (s1 = tu_session(c, 1)) != NULL &&
      (s1b = tu_session(c, 1)) != NULL);
    REQUIRE_OK(lt_create(s0, "t"));
    REQUIRE_OK(lt_create(s1, "t"));
    REQUIRE_OK(lt_create(s0, "big"));
    REQUIRE_OK(tu_write(s0, "t", 5, "a=1 c=3"));
    REQUIRE((id = tu_checkpoint(c, 0, 10)) != 0);
    REQUIRE_OK(lt_pickup(c, 1, id));
    memset(v, 'p', sizeof(v) - 1);
    v[sizeof(v) - 1] = '\0';
    (void)snprintf(w, sizeof(w), "d=%s", v);
    REQUIRE_OK(tu_write(s1, "t", 11, w));
    REQUIRE_OK(lt_cursor_open(s1, "t", NULL, &cur));
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "a");
    CHECK_OK(tu_write(s1b, "t", 12, "b=2"));
    /* Another operation of the session releases its constituents: the candidate is parked. */
    REQUIRE_OK(lt_cursor_open(s1, "t", NULL, &other));
    lt_cursor_set_key(other, "a");
    CHECK_OK(lt_cursor_search(other));
    CHECK_OK(lt_cursor_close(other));
    for (i = 0; i < 48; i++) { /* 48 x 100 rows of 250 bytes */
        for (j = n = 0; j < 100; j++)
            n +=
              snprintf(w + n, sizeof(w) - (size_t)n, "%sk%03d%03d=%.250s", j ? " " : "", i, j, v);
        REQUIRE_OK(tu_write(s0, "big", 20 + (uint64_t)i, w));
    }
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "c");
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "d");
    CHECK_CUR_VAL(cur, v);
    CHECK_OK(lt_cursor_close(cur));
    CHECK_OK(tu_close(c));
}

/* A pickup or GC changes the view: the next step seeks afresh. */
static void
test_park_dropped_by_pickup_and_gc(void)
{
    lt_session *s0, *s1, *s1b;
    lt_cursor *cur;
    uint64_t id;
    lt_cluster *c = setup(&s0, &s1, &s1b, "a=1 c=3", "d=4");

    REQUIRE(c != NULL);
    REQUIRE_OK(lt_cursor_open(s1, "t", NULL, &cur));
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "a");
    CHECK_OK(tu_write(s1b, "t", 12, "b=2"));
    CHECK_OK(tu_write(s0, "t", 12, "b=2"));
    REQUIRE((id = tu_checkpoint(c, 0, 20)) != 0);
    CHECK_OK(lt_pickup(c, 1, id));
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "b");
    CHECK_OK(tu_write(s1b, "t", 21, "bb=7"));
    CHECK_OK(lt_gc(c, 1, NULL));
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "bb");
    CHECK_OK(lt_cursor_close(cur));
    CHECK_OK(tu_close(c));
}

/*
 * The settle at the step is bounded (LT_PARK_SETTLE keys): past a longer run of ingest rows the
 * checkpoint already holds (before GC), the candidate stays paused and is not kept; the next step
 * after a commit then reads afresh. After GC the same walk parks.
 */
static void
test_park_settle_bound(void)
{
    lt_session *s0, *s1, *s1b;
    lt_cursor *cur;
    char run[256];
    uint64_t id;
    int i, n = 0;
    lt_cluster *c;

    for (i = 0; i < 12; i++)
        n += snprintf(run + n, sizeof(run) - (size_t)n, "%sk%02d=%d", i ? " " : "", i, i);
    c = tu_open(2);
    REQUIRE(c != NULL);
    REQUIRE((s0 = tu_session(c, 0)) != NULL && (s1 = tu_session(c, 1)) != NULL &&
      (s1b = tu_session(c, 1)) != NULL);
    REQUIRE_OK(lt_create(s0, "t"));
    REQUIRE_OK(lt_create(s1, "t"));
    REQUIRE_OK(tu_write(s0, "t", 5, "a=1"));
    /* The follower applied the log the checkpoint holds: rows at or below its cut. */
    REQUIRE_OK(tu_write(s0, "t", 6, run));
    REQUIRE_OK(tu_write(s1, "t", 6, run));
    REQUIRE((id = tu_checkpoint(c, 0, 10)) != 0);
    REQUIRE_OK(lt_pickup(c, 1, id));
    REQUIRE_OK(tu_write(s1, "t", 11, "z=9"));
    REQUIRE_OK(lt_cursor_open(s1, "t", NULL, &cur));
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "a");
    CHECK_OK(tu_write(s1b, "t", 12, "b=2"));
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "b"); /* afresh: not parked */
    CHECK_OK(lt_cursor_reset(cur));
    CHECK_OK(lt_gc(c, 1, NULL));
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "a");
    CHECK_OK(tu_write(s1b, "t", 13, "aa=3"));
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "b"); /* parked: b, so aa is not seen */
    CHECK_OK(lt_cursor_close(cur));
    CHECK_OK(tu_close(c));
}

/*
 * The settle at the step reads further ahead than the merge's own read-ahead: a prepared row it
 * meets there is no conflict of this step (its row is stable's); the next step seeks afresh.
 */
static void
test_park_settle_meets_prepared(void)
{
    lt_session *s0, *s1, *s1b;
    lt_cursor *cur, *w;
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, 12};
    uint64_t id;
    lt_cluster *c = tu_open(2);

    REQUIRE(c != NULL);
    REQUIRE((s0 = tu_session(c, 0)) != NULL && (s1 = tu_session(c, 1)) != NULL &&
      (s1b = tu_session(c, 1)) != NULL);
    REQUIRE_OK(lt_create(s0, "t"));
    REQUIRE_OK(lt_create(s1, "t"));
    REQUIRE_OK(tu_write(s0, "t", 5, "a=1 b=2"));
    REQUIRE_OK(tu_write(s1, "t", 5, "b=2")); /* applied log the checkpoint holds */
    REQUIRE((id = tu_checkpoint(c, 0, 10)) != 0);
    REQUIRE_OK(lt_pickup(c, 1, id));
    REQUIRE_OK(lt_txn_begin(s1b, &tc));
    REQUIRE_OK(lt_cursor_open(s1b, "t", NULL, &w));
    lt_cursor_set_key(w, "bb");
    lt_cursor_set_value(w, "p", 1);
    REQUIRE_OK(lt_cursor_insert(w));
    REQUIRE_OK(lt_txn_prepare(s1b, 12));
    REQUIRE_OK(lt_cursor_open(s1, "t", NULL, &cur));
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "a");
    /* The merge's own read-ahead meets it a key early (DESIGN.md), as before parking. */
    CHECK_RC(lt_cursor_next(cur), WT_PREPARE_CONFLICT);
    CHECK_OK(lt_txn_rollback(s1b));
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "b");
    CHECK_RC(lt_cursor_next(cur), WT_NOTFOUND);
    CHECK_OK(lt_cursor_close(w));
    CHECK_OK(lt_cursor_close(cur));
    CHECK_OK(tu_close(c));
}

int
main(void)
{
    TU_RUN(test_park_other_session);
    TU_RUN(test_park_txn_boundary);
    TU_RUN(test_park_tombstone);
    TU_RUN(test_park_survives_rollback);
    TU_RUN(test_park_copy_outlives_eviction);
    TU_RUN(test_park_dropped_by_pickup_and_gc);
    TU_RUN(test_park_settle_bound);
    TU_RUN(test_park_settle_meets_prepared);
    return tu_finish();
}
