/*
 * test_basic.c -- leader and follower reads and writes (docs/CONTRACT.md#reads-writes).
 *
 * Node 0 is the leader; timestamps increase in commit order across the cluster.
 */
#include "util.h"

/* The leader writes the live stable table and reads it back, also at read timestamps. */
static void
test_leader_write_read(void)
{
    lt_cluster *c = tu_open(3);
    lt_session *s;

    REQUIRE(c != NULL);
    REQUIRE((s = tu_session(c, 0)) != NULL);
    REQUIRE_OK(lt_create(s, "t"));
    CHECK_EQ(tu_exists(s, "t"), 1);
    CHECK_SCAN(s, "t", "");
    CHECK_OK(tu_write(s, "t", 10, "a=1 b=2 c=3"));
    CHECK_SCAN(s, "t", "a=1 b=2 c=3");
    CHECK_GET(s, "t", "b", "2");
    CHECK_GET(s, "t", "zz", NULL);
    CHECK_OK(tu_write(s, "t", 11, "b=22"));
    CHECK_OK(tu_write(s, "t", 12, "-a"));
    CHECK_SCAN(s, "t", "b=22 c=3");
    CHECK_GET(s, "t", "a", NULL);
    /* Read timestamps on the leader see the live table as of then. */
    CHECK_SCAN_AT(s, "t", 10, "a=1 b=2 c=3");
    CHECK_SCAN_AT(s, "t", 11, "a=1 b=22 c=3");
    CHECK_SCAN_AT(s, "t", 12, "b=22 c=3");
    CHECK_OK(lt_session_close(s));
    CHECK_OK(tu_close(c));
}

/*
 * A follower reads stable only through the checkpoint it picked up, never the live table; a
 * follower without a pickup has no table at all, pickup adds it.
 */
static void
test_follower_reads_checkpoint_only(void)
{
    lt_cluster *c = tu_open(3);
    lt_session *s0, *s1, *s2;
    lt_node_info info;
    uint64_t id1, id2, nid = 0, nts = 0;

    REQUIRE(c != NULL);
    REQUIRE((s0 = tu_session(c, 0)) != NULL);
    REQUIRE((s1 = tu_session(c, 1)) != NULL);
    REQUIRE((s2 = tu_session(c, 2)) != NULL);
    REQUIRE_OK(lt_create(s0, "t"));
    CHECK_OK(tu_write(s0, "t", 10, "a=1 b=2"));
    /* No checkpoint yet: followers do not know the table. */
    CHECK_EQ(tu_exists(s1, "t"), 0);
    CHECK_GET(s0, "t", "a", "1");
    REQUIRE((id1 = tu_checkpoint(c, 0, 20)) != 0);
    CHECK_OK(lt_checkpoint_newest(c, &nid, &nts));
    CHECK_EQ(nid, id1);
    CHECK_EQ(nts, 20);
    CHECK_EQ(tu_exists(s1, "t"), 0);
    CHECK_OK(lt_pickup(c, 1, id1));
    CHECK_OK(lt_pickup(c, 2, id1));
    CHECK_EQ(tu_exists(s1, "t"), 1);
    CHECK_OK(lt_node_get_info(c, 1, &info));
    CHECK_EQ(info.role, LT_FOLLOWER);
    CHECK_EQ(info.checkpoint_id, id1);
    CHECK_EQ(info.checkpoint_ts, 20);
    CHECK_EQ(info.tables, 1);
    CHECK_SCAN(s1, "t", "a=1 b=2");

    /* A live leader write is invisible to followers until a checkpoint is picked up. */
    CHECK_OK(tu_write(s0, "t", 30, "c=3 -a"));
    CHECK_SCAN(s0, "t", "b=2 c=3");
    CHECK_SCAN(s1, "t", "a=1 b=2");
    CHECK_GET(s1, "t", "c", NULL);
    CHECK_GET(s1, "t", "a", "1");
    REQUIRE((id2 = tu_checkpoint(c, 0, 40)) != 0);
    CHECK_GT(id2, id1);
    CHECK_SCAN(s1, "t", "a=1 b=2"); /* not picked up yet */
    CHECK_OK(lt_pickup(c, 1, id2));
    CHECK_SCAN(s1, "t", "b=2 c=3");
    CHECK_GET(s1, "t", "c", "3");
    CHECK_SCAN(s2, "t", "a=1 b=2"); /* node 2 is still on id1 */
    CHECK_OK(lt_pickup(c, 2, 0));   /* 0: the newest */
    CHECK_OK(lt_node_get_info(c, 2, &info));
    CHECK_EQ(info.checkpoint_id, id2);
    CHECK_SCAN(s2, "t", "b=2 c=3");
    CHECK_OK(tu_close(c));
}

/*
 * A checkpoint at ts holds the stable table as of ts: a leader write above ts (committed before
 * the checkpoint) is not in it.
 */
static void
test_checkpoint_as_of_ts(void)
{
    lt_cluster *c = tu_open(2);
    lt_session *s0, *s1;
    uint64_t id;

    REQUIRE(c != NULL);
    REQUIRE((s0 = tu_session(c, 0)) != NULL);
    REQUIRE((s1 = tu_session(c, 1)) != NULL);
    REQUIRE_OK(lt_create(s0, "t"));
    CHECK_OK(tu_write(s0, "t", 10, "a=1"));
    CHECK_OK(tu_write(s0, "t", 30, "b=2"));
    REQUIRE((id = tu_checkpoint(c, 0, 20)) != 0);
    CHECK_OK(lt_pickup(c, 1, id));
    CHECK_SCAN(s1, "t", "a=1");
    REQUIRE((id = tu_checkpoint(c, 0, 40)) != 0);
    CHECK_OK(lt_pickup(c, 1, id));
    CHECK_SCAN(s1, "t", "a=1 b=2");
    CHECK_OK(tu_close(c));
}

/*
 * A follower with data in both constituents: ingest rows between, over (newer value) and on top
 * of (tombstone) stable rows. Point reads and scans merge them; other nodes do not see the
 * follower's ingest; read timestamps select ingest versions.
 */
static void
test_follower_both_constituents(void)
{
    lt_cluster *c = tu_open(3);
    lt_session *s0, *s1, *s2;

    REQUIRE(c != NULL);
    REQUIRE(tu_setup_table(c, "t", 10, "a=s1 c=s3 e=s5 g=s7", 20) != 0);
    REQUIRE((s0 = tu_session(c, 0)) != NULL);
    REQUIRE((s1 = tu_session(c, 1)) != NULL);
    REQUIRE((s2 = tu_session(c, 2)) != NULL);

    CHECK_OK(tu_write(s1, "t", 30, "b=i2 d=i4 c=i3 -e h=i8"));
    CHECK_SCAN(s1, "t", "a=s1 b=i2 c=i3 d=i4 g=s7 h=i8");
    CHECK_GET(s1, "t", "a", "s1"); /* stable only */
    CHECK_GET(s1, "t", "b", "i2"); /* ingest only */
    CHECK_GET(s1, "t", "c", "i3"); /* ingest wins over stable */
    CHECK_GET(s1, "t", "e", NULL); /* tombstone hides stable */
    CHECK_GET(s1, "t", "g", "s7");
    CHECK_GET(s1, "t", "h", "i8");
    CHECK_GET(s1, "t", "zz", NULL);

    /* Other nodes are unaffected. */
    CHECK_SCAN(s2, "t", "a=s1 c=s3 e=s5 g=s7");
    CHECK_SCAN(s0, "t", "a=s1 c=s3 e=s5 g=s7");

    /* A second version of some keys, a tombstone over an ingest row, a re-insert. */
    CHECK_OK(tu_write(s1, "t", 40, "c=i3b -b"));
    CHECK_OK(tu_write(s1, "t", 50, "e=i5"));
    CHECK_SCAN(s1, "t", "a=s1 c=i3b d=i4 e=i5 g=s7 h=i8");
    CHECK_GET(s1, "t", "b", NULL);
    CHECK_GET(s1, "t", "e", "i5");

    /* Read timestamps pick the versions of then. */
    CHECK_SCAN_AT(s1, "t", 20, "a=s1 c=s3 e=s5 g=s7");
    CHECK_SCAN_AT(s1, "t", 25, "a=s1 c=s3 e=s5 g=s7");
    CHECK_SCAN_AT(s1, "t", 30, "a=s1 b=i2 c=i3 d=i4 g=s7 h=i8");
    CHECK_SCAN_AT(s1, "t", 45, "a=s1 c=i3b d=i4 g=s7 h=i8");
    CHECK_SCAN_AT(s1, "t", 50, "a=s1 c=i3b d=i4 e=i5 g=s7 h=i8");
    CHECK_OK(tu_close(c));
}

/* Writes through every cursor write call, on a follower and on the leader. */
static void
test_cursor_write_calls(void)
{
    lt_cluster *c = tu_open(2);
    lt_session *s[2];
    lt_cursor *cur;
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, 30};

    REQUIRE(c != NULL);
    REQUIRE(tu_setup_table(c, "t", 10, "a=1 b=2 c=3", 20) != 0);
    REQUIRE((s[0] = tu_session(c, 0)) != NULL);
    REQUIRE((s[1] = tu_session(c, 1)) != NULL);
    for (int n = 0; n < 2; n++) {
        tc.commit_ts = 30 + (uint64_t)n;
        REQUIRE_OK(lt_txn_begin(s[n], &tc));
        CHECK_EQ(lt_txn_active(s[n]), 1);
        REQUIRE_OK(lt_cursor_open(s[n], "t", NULL, &cur));
        lt_cursor_set_key(cur, "b");
        lt_cursor_set_value(cur, "22", 2);
        CHECK_OK(lt_cursor_update(cur));
        lt_cursor_set_key(cur, "d");
        lt_cursor_set_value(cur, "4", 1);
        CHECK_OK(lt_cursor_insert(cur));
        lt_cursor_set_key(cur, "a");
        CHECK_OK(lt_cursor_remove(cur));
        /* The transaction sees its own writes. */
        lt_cursor_set_key(cur, "b");
        CHECK_OK(lt_cursor_search(cur));
        CHECK_CUR_VAL(cur, "22");
        CHECK_OK(lt_cursor_close(cur));
        CHECK_SCAN(s[n], "t", "b=22 c=3 d=4");
        CHECK_OK(lt_txn_commit(s[n], 0));
        CHECK_EQ(lt_txn_active(s[n]), 0);
        CHECK_SCAN(s[n], "t", "b=22 c=3 d=4");
    }
    /* A rolled back transaction leaves nothing. */
    for (int n = 0; n < 2; n++) {
        tc.commit_ts = 40 + (uint64_t)n;
        REQUIRE_OK(lt_txn_begin(s[n], &tc));
        CHECK_OK(tu_write_in(s[n], "t", "x=9 -c"));
        CHECK_SCAN(s[n], "t", "b=22 d=4 x=9");
        CHECK_OK(lt_txn_rollback(s[n]));
        CHECK_SCAN(s[n], "t", "b=22 c=3 d=4");
    }
    CHECK_OK(tu_close(c));
}

/* Several tables on one node do not mix; sessions on one node share what is committed. */
static void
test_tables_and_sessions(void)
{
    lt_cluster *c = tu_open(2);
    lt_session *a, *b;

    REQUIRE(c != NULL);
    REQUIRE(tu_setup_table(c, "t1", 10, "k=t1", 20) != 0);
    REQUIRE(tu_setup_table(c, "t2", 30, "k=t2", 40) != 0);
    REQUIRE((a = tu_session(c, 1)) != NULL);
    REQUIRE((b = tu_session(c, 1)) != NULL);
    CHECK_OK(tu_write(a, "t1", 50, "j=a1"));
    CHECK_OK(tu_write(b, "t2", 60, "j=b2"));
    CHECK_SCAN(a, "t1", "j=a1 k=t1");
    CHECK_SCAN(a, "t2", "j=b2 k=t2");
    CHECK_SCAN(b, "t1", "j=a1 k=t1");
    CHECK_SCAN(b, "t2", "j=b2 k=t2");
    CHECK_EQ(lt_session_node(a), 1);
    CHECK_OK(tu_close(c));
}

int
main(void)
{
    TU_RUN(test_leader_write_read);
    TU_RUN(test_follower_reads_checkpoint_only);
    TU_RUN(test_checkpoint_as_of_ts);
    TU_RUN(test_follower_both_constituents);
    TU_RUN(test_cursor_write_calls);
    TU_RUN(test_tables_and_sessions);
    return tu_finish();
}
