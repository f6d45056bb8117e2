/*
 * test_timestamps.c -- each node's own oldest and stable timestamps (lt_node_set_timestamp),
 * history below a checkpoint, checkpoint retention, and create without exclusive.
 */
#include "util.h"

/* A follower that picked up nothing commits below the leader's checkpoint. */
static void
test_follower_commits_below_leader_checkpoint(void)
{
    lt_cluster *c = tu_open(2);
    lt_session *s0, *s1;
    uint64_t oldest, stable;

    REQUIRE(c != NULL);
    REQUIRE((s0 = tu_session(c, 0)) != NULL);
    REQUIRE((s1 = tu_session(c, 1)) != NULL);
    REQUIRE_OK(lt_create(s0, "t"));
    REQUIRE_OK(lt_create(s1, "t"));
    CHECK_OK(tu_write(s0, "t", 10, "a=1"));
    REQUIRE(tu_checkpoint(c, 0, 10) != 0);
    CHECK_OK(tu_write(s1, "t", 5, "b=2")); /* node 1's own timestamps allow it */
    CHECK_GET(s1, "t", "b", "2");
    CHECK_OK(lt_node_get_timestamps(c, 0, NULL, &stable));
    CHECK_EQ(stable, 10);
    CHECK_OK(lt_node_get_timestamps(c, 1, &oldest, &stable));
    CHECK_EQ(oldest, 0);
    CHECK_EQ(stable, 0);
    /* The node's own stable timestamp, set by the application, does veto. */
    CHECK_OK(lt_node_set_timestamp(c, 1, "stable_timestamp=8"));
    CHECK_RC(tu_write(s1, "t", 6, "c=3"), EINVAL);
    CHECK_OK(tu_write(s1, "t", 9, "c=3"));
    CHECK_OK(lt_node_set_timestamp(c, 1, "oldest_timestamp=7"));
    CHECK_RC(lt_node_set_timestamp(c, 1, "oldest_timestamp=20"), EINVAL); /* above stable */
    CHECK_RC(lt_node_set_timestamp(c, 1, "oldest=7"), EINVAL);
    CHECK_RC(lt_node_set_timestamp(c, 1, "oldest_timestamp=zz"), EINVAL);
    CHECK_OK(lt_node_get_timestamps(c, 1, &oldest, &stable));
    CHECK_EQ(oldest, 8); /* without app_oldest, the oldest follows the node's stable */
    CHECK_EQ(stable, 8);
    CHECK_OK(tu_close(c));
}

/* With app_oldest, a follower reads older checkpoints' history until it moves its oldest. */
static void
test_history_below_checkpoint(void)
{
    lt_cluster_config cfg;
    lt_cluster *c;
    lt_session *s0, *s1;
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 15, 0};

    tu_config(&cfg, 2);
    cfg.app_oldest = 1;
    REQUIRE((c = tu_open_cfg(&cfg)) != NULL);
    REQUIRE((s0 = tu_session(c, 0)) != NULL);
    REQUIRE((s1 = tu_session(c, 1)) != NULL);
    REQUIRE_OK(lt_create(s0, "t"));
    CHECK_OK(tu_write(s0, "t", 10, "a=1"));
    REQUIRE(tu_checkpoint(c, 0, 10) != 0);
    CHECK_OK(tu_write(s0, "t", 20, "a=2 b=2"));
    REQUIRE(tu_checkpoint(c, 0, 20) != 0);
    /* Checkpoint 1 is still there to pick up, then 2 (upstream test 12). */
    CHECK_OK(lt_pickup(c, 1, 1));
    CHECK_OK(lt_pickup(c, 1, 2));
    CHECK_OK(lt_gc(c, 1, NULL));
    CHECK_SCAN_AT(s1, "t", 15, "a=1");
    CHECK_SCAN(s1, "t", "a=2 b=2");
    CHECK_SCAN_AT(s0, "t", 15, "a=1");
    /* The application moves the follower's oldest (hexadecimal): reads below it are EINVAL. */
    CHECK_OK(lt_node_set_timestamp(c, 1, "oldest_timestamp=e"));
    CHECK_OK(lt_gc(c, 1, NULL));
    CHECK_RC(lt_txn_begin(s1, &tc), 0);
    CHECK_OK(lt_txn_rollback(s1));
    CHECK_OK(lt_node_set_timestamp(c, 1, "oldest_timestamp=10"));
    CHECK_RC(lt_txn_begin(s1, &tc), EINVAL);
    CHECK_OK(tu_close(c));
}

/* Create of an existing table: nothing happens, but with exclusive=true (EEXIST). */
static void
test_create_exclusive(void)
{
    lt_cluster *c = tu_open(2);
    lt_session *s;

    REQUIRE(c != NULL);
    REQUIRE((s = tu_session(c, 0)) != NULL);
    REQUIRE_OK(lt_create(s, "t"));
    CHECK_OK(tu_write(s, "t", 10, "a=1"));
    CHECK_OK(lt_create(s, "t"));
    CHECK_OK(lt_create_cfg(s, "t", "exclusive=false"));
    CHECK_RC(lt_create_cfg(s, "t", "exclusive=true"), EEXIST);
    CHECK_RC(lt_create_cfg(s, "t", "exclusive"), EEXIST);
    CHECK_RC(lt_create_cfg(s, "u", "bogus=1"), EINVAL);
    CHECK_SCAN(s, "t", "a=1");
    CHECK_OK(lt_create_cfg(s, "u", "exclusive=true"));
    CHECK_OK(tu_close(c));
}

/*
 * A step-up's drain commits on the node, so it honours the node's stable timestamp as every
 * commit there does: the ingest versions it moves from below that timestamp (the node's own
 * writes no leader made, and a table no checkpoint holds) are written at it. History below the
 * new leader's stable timestamp stays the one its predecessor committed: a read between the
 * node's oldest and stable timestamps shows what the old leader showed there, and the drained
 * rows show from the stable timestamp on (upstream's drain moves nothing from below it).
 */
static void
test_drain_keeps_history_below_stable(void)
{
    lt_cluster_config cfg;
    lt_cluster *c;
    lt_session *s0, *s1;
    uint64_t id, oldest, stable;

    tu_config(&cfg, 2);
    cfg.app_oldest = 1;
    REQUIRE((c = tu_open_cfg(&cfg)) != NULL);
    REQUIRE(tu_setup_table(c, "t", 10, "a=1", 20) != 0);
    REQUIRE((s0 = tu_session(c, 0)) != NULL);
    REQUIRE((s1 = tu_session(c, 1)) != NULL);
    /* The follower's own writes, then a checkpoint above them that holds none of them. */
    CHECK_OK(tu_write(s1, "t", 25, "b=2"));
    REQUIRE_OK(lt_create(s1, "u"));
    CHECK_OK(tu_write(s1, "u", 25, "k=1"));
    REQUIRE((id = tu_checkpoint(c, 0, 30)) != 0);
    CHECK_OK(lt_pickup(c, 1, id));
    CHECK_OK(lt_node_set_timestamp(c, 1, "oldest_timestamp=14")); /* 20 */
    CHECK_OK(lt_node_get_timestamps(c, 1, &oldest, &stable));
    CHECK_EQ(oldest, 20);
    CHECK_EQ(stable, 30);
    CHECK_SCAN_AT(s0, "t", 27, "a=1"); /* the leader's history */

    REQUIRE_OK(lt_step_down(c, 0));
    REQUIRE_OK(lt_step_up(c, 1));
    CHECK_SCAN_AT(s1, "t", 27, "a=1");
    CHECK_SCAN_AT(s1, "u", 27, "");
    CHECK_SCAN_AT(s1, "t", 30, "a=1 b=2");
    CHECK_SCAN_AT(s1, "u", 30, "k=1");
    CHECK_SCAN(s1, "t", "a=1 b=2");
    CHECK_SCAN(s1, "u", "k=1");
    CHECK_OK(tu_close(c));
}

/*
 * A drain writes a follower's own versions from below its stable timestamp at that timestamp,
 * above what the shared stable held. That must not count as holding other followers' own writes
 * below it: node 1's drain writes x (its own, at 20) at 30; node 2's own y at 25 and w at 30,
 * which no leader made, are in no stable yet: its GC must keep them and its step-up move them
 * (I1, I6).
 */
static void
test_drain_floor_keeps_other_followers_writes(void)
{
    lt_cluster *c = tu_open(3);
    lt_session *s1, *s2;
    uint64_t id, removed;

    REQUIRE(c != NULL);
    REQUIRE(tu_setup_table(c, "t", 10, "a=1", 15) != 0);
    REQUIRE((s1 = tu_session(c, 1)) != NULL);
    REQUIRE((s2 = tu_session(c, 2)) != NULL);
    CHECK_OK(tu_write(s1, "t", 20, "x=1"));
    CHECK_OK(tu_write(s2, "t", 25, "y=2"));
    CHECK_OK(tu_write(s2, "t", 30, "w=3"));
    REQUIRE(tu_checkpoint(c, 0, 30) != 0); /* node 1's stable at its step-up */
    REQUIRE_OK(lt_step_down(c, 0));
    REQUIRE_OK(lt_step_up(c, 1));
    CHECK_SCAN(s1, "t", "a=1 x=1");
    CHECK_SCAN(s2, "t", "a=1 w=3 y=2");
    /* Node 2 picks up node 1's checkpoint (x in it) and collects: y and w are in no stable. */
    REQUIRE((id = tu_checkpoint(c, 1, 35)) != 0);
    CHECK_OK(lt_pickup(c, 2, id));
    removed = 99;
    CHECK_OK(lt_gc(c, 2, &removed));
    CHECK_EQ(removed, 0); /* node 2's ingest holds only y and w */
    CHECK_SCAN(s2, "t", "a=1 w=3 x=1 y=2");
    REQUIRE_OK(lt_step_down(c, 1));
    REQUIRE_OK(lt_step_up(c, 2));
    CHECK_SCAN(s2, "t", "a=1 w=3 x=1 y=2");
    CHECK_OK(tu_close(c));
}

int
main(void)
{
    TU_RUN(test_follower_commits_below_leader_checkpoint);
    TU_RUN(test_history_below_checkpoint);
    TU_RUN(test_create_exclusive);
    TU_RUN(test_drain_keeps_history_below_stable);
    TU_RUN(test_drain_floor_keeps_other_followers_writes);
    return tu_finish();
}
