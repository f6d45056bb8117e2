/*
 * test_hook_upstream.c -- the lock-based policies upstream and boundary, and the operation kinds
 * they tell apart (docs/CONTRACT.md#policy-table, #boundary): lt_drop_ex, lt_verify, lt_publish,
 * the metadata queue and the schema epoch. The per-kind outcomes during a held transition are
 * the catalogue's (races/stepup12.c); these are the API's promises around them.
 */
#include "util.h"

#include "hook_util.h"

/* The new names parse and print; bad flags and missing tables are refused. */
static void
test_names_and_arguments(void)
{
    hk h;
    lt_session *s;
    lt_policy p;

    CHECK_OK(lt_policy_parse("upstream", &p));
    CHECK_EQ(p, LT_POLICY_UPSTREAM);
    CHECK_OK(lt_policy_parse("boundary", &p));
    CHECK_EQ_STR(lt_policy_name(p), "boundary");
    CHECK_RC(lt_policy_parse("bounded", &p), EINVAL);
    CHECK_EQ_STR(lt_op_name(LT_OP_DROP_CKPT), "drop-ckpt");
    CHECK_EQ_STR(lt_event_name(LT_EV_BOUNDARY), "stepdown.boundary");

    REQUIRE(hk_open(&h, LT_POLICY_UPSTREAM, 0));
    REQUIRE((s = tu_session(h.c, 1)) != NULL);
    CHECK_RC(lt_drop_ex(s, "t", LT_DROP_NOWAIT | LT_DROP_CKPT_WAIT), EINVAL);
    CHECK_RC(lt_drop_ex(s, "t", 0x80), EINVAL);
    CHECK_RC(lt_verify(s, "nosuch"), ENOENT);
    CHECK_RC(lt_publish(s, "nosuch"), EINVAL); /* node 1 is a follower */
    CHECK_RC(lt_verify(NULL, "t"), EINVAL);
    CHECK_OK(lt_verify(s, "t"));
    CHECK_OK(lt_drop_ex(s, "t", LT_DROP_CKPT_WAIT));
    CHECK_EQ(tu_exists(s, "t"), 0);
    CHECK_RC(lt_set_policy(h.c, -1, (lt_policy)6), EINVAL);
    hk_close(&h);
}

/* A leader's create queues its entry; publish takes it once; a follower's publish is refused. */
static void
test_publish(void)
{
    hk h;
    lt_session *s1, *s2;
    lt_node_info info;

    REQUIRE(hk_open(&h, LT_POLICY_BOUNDARY, 0));
    REQUIRE_OK(lt_step_up(h.c, 1));
    REQUIRE((s1 = tu_session(h.c, 1)) != NULL);
    REQUIRE((s2 = tu_session(h.c, 2)) != NULL);
    CHECK_OK(lt_create(s1, "p"));
    CHECK_OK(lt_create(s2, "p")); /* a follower queues nothing */
    CHECK_OK(lt_node_get_info(h.c, 1, &info));
    CHECK_EQ(info.queued, 1);
    CHECK_RC(lt_publish(s2, "p"), EINVAL); /* a follower never publishes */
    CHECK_OK(lt_publish(s1, "p"));
    CHECK_RC(lt_publish(s1, "p"), ENOENT);

    /* A queued entry dies with its table and with the leader's era. */
    CHECK_OK(lt_create(s1, "q"));
    CHECK_OK(lt_create(s1, "r"));
    CHECK_OK(lt_drop(s1, "q"));
    CHECK_OK(lt_node_get_info(h.c, 1, &info));
    CHECK_EQ(info.queued, 1);
    CHECK_OK(lt_step_down(h.c, 1));
    CHECK_OK(lt_node_get_info(h.c, 1, &info));
    CHECK_EQ(info.queued, 0);
    CHECK_EQ(info.schema_epoch, 1);
    CHECK_RC(lt_publish(s1, "r"), EINVAL);
    hk_close(&h);
}

/*
 * Boundary: a create after the step-down's boundary, before its flip, runs and makes a follower's
 * table (no stable constituent, nothing queued); a publish then is refused with EINVAL. Until the
 * flip the node, still leader, reads that table from its (empty) ingest, never ENOENT, and a write
 * to it is WT_ROLLBACK, as every write of a node stepping down.
 */
static void
test_create_past_boundary(void)
{
    hk h;
    lt_session *s1;
    lt_node_info info;
    char err[512];
    tu_async a;

    REQUIRE(hk_open(&h, LT_POLICY_BOUNDARY, 0));
    REQUIRE_OK(lt_step_up(h.c, 1));
    REQUIRE((s1 = tu_session(h.c, 1)) != NULL);
    CHECK_OK(lt_create(s1, "old"));
    REQUIRE(hk_hold(&h, TU_OP_STEP_DOWN, 1, "stepdown.after_boundary"));
    tu_async_start(&a, TU_OP_CREATE, h.c, s1, 1, "late", 0);
    CHECK(tu_async_wait(&a, 5000)); /* the asynchronous step-down does not hold it back */
    CHECK_OK(tu_async_join(&a));
    CHECK_RC(lt_publish(s1, "old"), EINVAL); /* past the boundary, though still leader */
    snprintf(err, sizeof(err), "%s", lt_last_error());
    CHECK(strstr(err, "boundary") != NULL);
    CHECK_GET(s1, "late", "a", NULL);
    CHECK_SCAN(s1, "late", "");
    CHECK_RC(tu_write(s1, "late", 50, "a=1"), WT_ROLLBACK);
    CHECK_OK(lt_node_get_info(h.c, 1, &info));
    CHECK_EQ(info.queued, 0);
    CHECK_EQ(info.role, LT_LEADER);
    CHECK_OK(hk_release(&h));
    CHECK_OK(lt_verify(s1, "late"));
    CHECK_EQ(tu_exists(s1, "late"), 1);
    hk_close(&h);
}

/* Upstream's step-down holds the schema lock: a drop not waiting gets EBUSY, a drop waits. */
static void
test_upstream_stepdown(void)
{
    hk h;
    lt_session *s1;
    tu_async a;

    REQUIRE(hk_open(&h, LT_POLICY_UPSTREAM, 0));
    REQUIRE_OK(lt_step_up(h.c, 1));
    REQUIRE((s1 = tu_session(h.c, 1)) != NULL);
    REQUIRE(hk_hold(&h, TU_OP_STEP_DOWN, 1, "stepdown.after_flip"));
    CHECK_RC(lt_drop_ex(s1, "t", LT_DROP_NOWAIT), EBUSY);
    CHECK(strstr(lt_last_error(), "schema lock") != NULL);
    tu_async_start(&a, TU_OP_DROP, h.c, s1, 1, "t", 0);
    CHECK(!tu_async_wait(&a, 300)); /* it waits for the step-down */
    CHECK_OK(hk_release(&h));
    CHECK_OK(tu_async_join(&a));
    CHECK_EQ(tu_exists(s1, "t"), 0);
    hk_close(&h);
}

int
main(void)
{
    TU_RUN(test_names_and_arguments);
    TU_RUN(test_publish);
    TU_RUN(test_create_past_boundary);
    TU_RUN(test_upstream_stepdown);
    return tu_finish();
}
