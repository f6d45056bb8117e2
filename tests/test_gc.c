/*
 * test_gc.c -- ingest garbage collection (docs/CONTRACT.md#checkpoints, invariant I6): GC never
 * removes a row that an open cursor pinned to an older checkpoint could still read; it removes the
 * redundant versions once nothing pins them (a reset cursor pins nothing); reads agree before and
 * after.
 *
 * The follower's ingest mirrors the leader's writes (as replication would): each write goes to
 * both at the same timestamp, so the ingest versions become redundant once a checkpoint covers
 * them.
 */
#include "util.h"

static int
both(lt_session *leader, lt_session *follower, uint64_t ts, const char *script)
{
    int rc;
    if ((rc = tu_write(leader, "t", ts, script)) != 0)
        return rc;
    return tu_write(follower, "t", ts, script);
}

static void
test_gc_under_pinned_cursor(void)
{
    lt_cluster *c = tu_open(2);
    lt_session *s0, *s1, *sp;
    lt_cursor *cur;
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, 0};
    uint64_t id2, removed = 99;

    REQUIRE(c != NULL);
    REQUIRE(tu_setup_table(c, "t", 10, "a=1 b=2 c=3", 20) != 0);
    REQUIRE((s0 = tu_session(c, 0)) != NULL);
    REQUIRE((s1 = tu_session(c, 1)) != NULL);
    REQUIRE((sp = tu_session(c, 1)) != NULL);
    CHECK_OK(both(s0, s1, 30, "d=4"));

    /* The pinned reader: a snapshot transaction on the follower, positioned on b. */
    REQUIRE_OK(lt_txn_begin(sp, &tc));
    REQUIRE_OK(lt_cursor_open(sp, "t", NULL, &cur));
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "a");
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "b");

    /* The world moves on: more writes, a checkpoint covering them, pickup, GC. */
    CHECK_OK(both(s0, s1, 40, "e=5 -a c=33"));
    REQUIRE((id2 = tu_checkpoint(c, 0, 50)) != 0);
    CHECK_OK(lt_pickup(c, 1, id2));
    CHECK_OK(lt_gc(c, 1, &removed));
    CHECK_EQ(removed, 0); /* everything in ingest is above the pinned checkpoint (20) */
    CHECK_OK(lt_gc(c, 0, NULL));

    /* The pinned cursor still reads its snapshot: d comes only from ingest there. */
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "c");
    CHECK_CUR_VAL(cur, "3");
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "d");
    CHECK_CUR_VAL(cur, "4");
    CHECK_RC(lt_cursor_next(cur), WT_NOTFOUND);
    CHECK_CUR_KEY(lt_cursor_prev(cur), cur, "d");
    CHECK_CUR_KEY(lt_cursor_prev(cur), cur, "c");
    CHECK_SCAN(sp, "t", "a=1 b=2 c=3 d=4");
    CHECK_GET(sp, "t", "d", "4");

    /* Other readers see the new checkpoint. */
    CHECK_SCAN(s1, "t", "b=2 c=33 d=4 e=5");

    /* Unpinned: GC removes the redundant versions (d, e, a's tombstone, c); reads agree. */
    CHECK_OK(lt_cursor_close(cur));
    CHECK_OK(lt_txn_commit(sp, 0));
    CHECK_SCAN(sp, "t", "b=2 c=33 d=4 e=5");
    removed = 0;
    CHECK_OK(lt_gc(c, 1, &removed));
    CHECK_EQ(removed, 4);
    CHECK_SCAN(s1, "t", "b=2 c=33 d=4 e=5");
    CHECK_GET(s1, "t", "d", "4");
    CHECK_GET(s1, "t", "a", NULL);
    removed = 99;
    CHECK_OK(lt_gc(c, 1, &removed));
    CHECK_EQ(removed, 0); /* nothing left to remove */
    CHECK_OK(tu_close(c));
}

/* GC keeps ingest versions newer than the picked-up checkpoint (the follower's own writes). */
static void
test_gc_keeps_newer_versions(void)
{
    lt_cluster *c = tu_open(2);
    lt_session *s1;
    uint64_t removed = 99;

    REQUIRE(c != NULL);
    REQUIRE(tu_setup_table(c, "t", 10, "a=1", 20) != 0);
    REQUIRE((s1 = tu_session(c, 1)) != NULL);
    CHECK_OK(tu_write(s1, "t", 30, "b=2 -a"));
    CHECK_OK(lt_gc(c, 1, &removed));
    CHECK_EQ(removed, 0);
    CHECK_SCAN(s1, "t", "b=2");
    CHECK_OK(tu_close(c));
}

/*
 * A cursor outside a transaction, positioned on a row that only ingest holds, then pickup and
 * GC: its next operation continues correctly (the row it stands on may now come from stable).
 */
static void
test_gc_under_positioned_cursor(void)
{
    lt_cluster *c = tu_open(2);
    lt_session *s0, *s1;
    lt_cursor *cur;
    uint64_t id2;

    REQUIRE(c != NULL);
    REQUIRE(tu_setup_table(c, "t", 10, "a=1 e=5", 20) != 0);
    REQUIRE((s0 = tu_session(c, 0)) != NULL);
    REQUIRE((s1 = tu_session(c, 1)) != NULL);
    CHECK_OK(both(s0, s1, 30, "b=2 c=3 d=4"));
    REQUIRE_OK(lt_cursor_open(s1, "t", NULL, &cur));
    lt_cursor_set_key(cur, "c");
    CHECK_CUR_KEY(lt_cursor_search(cur), cur, "c");
    REQUIRE((id2 = tu_checkpoint(c, 0, 40)) != 0);
    CHECK_OK(lt_pickup(c, 1, id2));
    CHECK_OK(lt_gc(c, 1, NULL));
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "d");
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "e");
    CHECK_CUR_KEY(lt_cursor_prev(cur), cur, "d");
    CHECK_CUR_KEY(lt_cursor_prev(cur), cur, "c");
    CHECK_CUR_KEY(lt_cursor_prev(cur), cur, "b");
    CHECK_OK(lt_cursor_close(cur));
    CHECK_SCAN(s1, "t", "a=1 b=2 c=3 d=4 e=5");
    CHECK_OK(tu_close(c));
}

/*
 * An idle cursor outside a transaction pins the checkpoint its view reads, which holds GC back;
 * once reset it pins nothing (its next operation reads the node's current checkpoint anyway).
 */
static void
test_gc_after_reset(void)
{
    lt_cluster *c = tu_open(2);
    lt_session *s0, *s1;
    lt_cursor *cur;
    uint64_t id2, removed = 99;

    REQUIRE(c != NULL);
    REQUIRE(tu_setup_table(c, "t", 10, "a=1 b=2", 20) != 0);
    REQUIRE((s0 = tu_session(c, 0)) != NULL);
    REQUIRE((s1 = tu_session(c, 1)) != NULL);
    REQUIRE_OK(lt_cursor_open(s1, "t", NULL, &cur));
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "a"); /* the view: the checkpoint at 20 */
    CHECK_OK(both(s0, s1, 30, "c=3 -a"));
    REQUIRE((id2 = tu_checkpoint(c, 0, 40)) != 0);
    CHECK_OK(lt_pickup(c, 1, id2));
    CHECK_OK(lt_gc(c, 1, &removed));
    CHECK_EQ(removed, 0); /* the positioned cursor still pins the checkpoint at 20 */
    CHECK_OK(lt_cursor_reset(cur));
    removed = 0;
    CHECK_OK(lt_gc(c, 1, &removed));
    CHECK_EQ(removed, 2); /* c and a's tombstone: the checkpoint at 40 holds them */
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "b");
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "c");
    CHECK_RC(lt_cursor_next(cur), WT_NOTFOUND);
    CHECK_CUR_KEY(lt_cursor_prev(cur), cur, "c");
    CHECK_OK(lt_cursor_close(cur));
    CHECK_SCAN(s1, "t", "b=2 c=3");
    CHECK_OK(tu_close(c));
}

/*
 * A reader whose checkpoint names an older incarnation of a table its node dropped and created
 * again reads the new life from the node's ingest alone (that checkpoint's stable is another
 * table's, I7). The follower ran its share of the logical drop, the create and the new life's
 * first write before the leader did, so the leader's next checkpoint still names the old life.
 * Once a newer checkpoint holds the new life and covers those versions' timestamps, GC on the
 * node must still keep them while a reader can read the older checkpoint: a positioned cursor
 * that pins it, and a new transaction whose read timestamp chooses it (I6).
 */
static void
test_gc_keeps_ingest_for_older_incarnation_view(void)
{
    lt_cluster *c = tu_open(2);
    lt_session *s0, *s1;
    lt_cursor *cur;
    uint64_t id1, id2, removed = 99;

    REQUIRE(c != NULL);
    REQUIRE((s0 = tu_session(c, 0)) != NULL);
    REQUIRE((s1 = tu_session(c, 1)) != NULL);
    REQUIRE_OK(lt_create(s0, "t"));
    REQUIRE_OK(lt_create(s1, "t"));
    CHECK_OK(both(s0, s1, 10, "a=1"));

    /* The follower's share of the drop and create, and the new life's first rows. */
    REQUIRE_OK(lt_drop(s1, "t"));
    REQUIRE_OK(lt_create(s1, "t"));
    CHECK_OK(tu_write(s1, "t", 12, "b=2 d=4"));
    REQUIRE((id1 = tu_checkpoint(c, 0, 15)) != 0); /* the leader's table is the old life */
    CHECK_OK(lt_pickup(c, 1, id1));
    CHECK_SCAN(s1, "t", "b=2 d=4"); /* never a=1: the checkpoint's table was dropped here */

    /* The reader: a cursor positioned in the view of checkpoint id1. */
    REQUIRE_OK(lt_cursor_open(s1, "t", NULL, &cur));
    lt_cursor_set_key(cur, "b");
    CHECK_CUR_KEY(lt_cursor_search(cur), cur, "b");

    /* The leader's share; the new life's rows there; a checkpoint holding the new life. */
    REQUIRE_OK(lt_drop(s0, "t"));
    REQUIRE_OK(lt_create(s0, "t"));
    CHECK_OK(tu_write(s0, "t", 20, "b=2 c=3 d=4"));
    REQUIRE((id2 = tu_checkpoint(c, 0, 25)) != 0);
    CHECK_OK(lt_pickup(c, 1, id2));
    CHECK_SCAN(s1, "t", "b=2 c=3 d=4");
    CHECK_SCAN_AT(s1, "t", 16, "b=2 d=4"); /* checkpoint id1's view, held by the cursor */

    CHECK_OK(lt_gc(c, 1, &removed));
    CHECK_EQ(removed, 0); /* checkpoint id1 can still be read and does not hold the new life */
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "d"); /* still the view of checkpoint id1 */
    CHECK_CUR_VAL(cur, "4");
    CHECK_CUR_KEY(lt_cursor_prev(cur), cur, "b");
    CHECK_CUR_VAL(cur, "2");
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "d");
    CHECK_RC(lt_cursor_next(cur), WT_NOTFOUND);
    CHECK_SCAN_AT(s1, "t", 16, "b=2 d=4");
    CHECK_SCAN(s1, "t", "b=2 c=3 d=4");

    /* Nothing reads checkpoint id1 any more: GC removes what checkpoint id2 holds. */
    CHECK_OK(lt_cursor_close(cur));
    removed = 0;
    CHECK_OK(lt_gc(c, 1, &removed));
    CHECK_EQ(removed, 2);
    CHECK_SCAN(s1, "t", "b=2 c=3 d=4");
    CHECK_OK(tu_close(c));
}

/*
 * A follower cursor positioned before the node picked up any checkpoint keeps that view (its
 * ingest alone) until reset, as upstream's: GC removes nothing while it is held, and a row only
 * the checkpoint holds stays out of its walk. Once reset, it pins nothing.
 */
static void
test_gc_under_view_before_pickup(void)
{
    lt_cluster *c = tu_open(2);
    lt_session *s0, *s1;
    lt_cursor *cur;
    uint64_t id, removed = 99;

    REQUIRE(c != NULL);
    REQUIRE((s0 = tu_session(c, 0)) != NULL);
    REQUIRE((s1 = tu_session(c, 1)) != NULL);
    REQUIRE_OK(lt_create(s0, "t"));
    REQUIRE_OK(lt_create(s1, "t"));
    CHECK_OK(both(s0, s1, 10, "a=1 b=2 c=3"));
    REQUIRE_OK(lt_cursor_open(s1, "t", NULL, &cur));
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "a"); /* the view: no checkpoint, the ingest */
    CHECK_OK(tu_write(s0, "t", 15, "z=9"));       /* not yet applied on the follower */
    REQUIRE((id = tu_checkpoint(c, 0, 20)) != 0);
    CHECK_OK(lt_pickup(c, 1, id));
    CHECK_OK(lt_gc(c, 1, &removed));
    CHECK_EQ(removed, 0); /* the held view reads the ingest alone */
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "b");
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "c");
    CHECK_RC(lt_cursor_next(cur), WT_NOTFOUND); /* z: only the checkpoint holds it */
    /* Off the end, the cursor starts afresh in the node's current view. */
    CHECK_CUR_KEY(lt_cursor_prev(cur), cur, "z");
    CHECK_OK(lt_cursor_reset(cur));
    removed = 0;
    CHECK_OK(lt_gc(c, 1, &removed));
    CHECK_EQ(removed, 3);
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "a");
    CHECK_OK(lt_cursor_close(cur));
    CHECK_SCAN(s1, "t", "a=1 b=2 c=3 z=9");
    CHECK_OK(tu_close(c));
}

int
main(void)
{
    TU_RUN(test_gc_under_pinned_cursor);
    TU_RUN(test_gc_keeps_newer_versions);
    TU_RUN(test_gc_under_positioned_cursor);
    TU_RUN(test_gc_after_reset);
    TU_RUN(test_gc_under_view_before_pickup);
    TU_RUN(test_gc_keeps_ingest_for_older_incarnation_view);
    return tu_finish();
}
