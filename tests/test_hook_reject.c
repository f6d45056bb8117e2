/*
 * test_hook_reject.c -- the RTI hook with policy reject (docs/CONTRACT.md#policy-reject, I5).
 *
 * A transition is held open at a yield point by the test. Then create, drop and truncate on that
 * node fail at once with EBUSY and a message naming the transition and its generation, and change
 * nothing; the same operations on another node, or after the transition, succeed (the quiet
 * cases). A transition that meets an admitted schema operation waits for it before it changes
 * any state.
 */
#include "util.h"

#include "hook_util.h"

/* Run a schema op on its own thread; it must return within 2 s (reject never blocks). */
static int
run_quick(const char *file, int line, hk *h, tu_op_kind kind, lt_session *s, const char *name,
  uint64_t ts, char *err, size_t errlen)
{
    tu_async a;
    int rc;

    tu_async_start(&a, kind, h->c, s, lt_session_node(s), name, ts);
    if (!tu_async_wait(&a, 2000)) {
        tu_fail(file, line, "%s of %s blocked during a held transition",
          lt_op_name(kind == TU_OP_CREATE ? LT_OP_CREATE :
              kind == TU_OP_DROP          ? LT_OP_DROP :
                                            LT_OP_TRUNCATE),
          name);
        (void)hk_release(h);
    }
    rc = tu_async_join(&a);
    if (err != NULL)
        snprintf(err, errlen, "%s", a.err);
    return rc;
}
#define RUN_QUICK(h, kind, s, name, ts, err) \
    run_quick(__FILE__, __LINE__, (h), (kind), (s), (name), (ts), (err), sizeof(err))

static void
test_reject_during_stepup(void)
{
    hk h;
    lt_session *s1, *s2;
    lt_node_info before, after;
    lt_hook_stats st;
    char err[512];
    uint64_t t0;

    REQUIRE(hk_open(&h, LT_POLICY_REJECT, 0));
    REQUIRE((s1 = tu_session(h.c, 1)) != NULL);
    REQUIRE((s2 = tu_session(h.c, 2)) != NULL);
    REQUIRE_OK(lt_node_get_info(h.c, 1, &before));

    REQUIRE(hk_hold(&h, TU_OP_STEP_UP, 1, "stepup.after_flip"));
    t0 = lr_now_ns();
    CHECK_RC(RUN_QUICK(&h, TU_OP_CREATE, s1, "new", 0, err), EBUSY);
    if (!CHECK(strstr(err, "step-up") != NULL && strstr(err, "generation") != NULL))
        tu_note("message: %s", err);
    CHECK_RC(RUN_QUICK(&h, TU_OP_DROP, s1, "t", 0, err), EBUSY);
    CHECK_RC(RUN_QUICK(&h, TU_OP_TRUNCATE, s1, "t", 30, err), EBUSY);
    CHECK_EQ(tu_evlog_count(&h.log, LT_EV_REJECT, TU_ANY, 1, NULL), 3);
    CHECK_EQ(tu_evlog_count(&h.log, LT_EV_SCHEMA_EFFECT, TU_ANY, 1, NULL), 0);
    /* The quiet case: another node is not in transition. */
    CHECK_OK(RUN_QUICK(&h, TU_OP_CREATE, s2, "other", 0, err));
    while (lr_now_ns() - t0 < 100 * 1000000ull)
        lr_sleep_ms(10);
    CHECK_OK(hk_release(&h));

    /* Nothing changed on node 1. */
    REQUIRE_OK(lt_node_get_info(h.c, 1, &after));
    CHECK_EQ(after.tables, before.tables);
    CHECK_EQ(after.role, LT_LEADER);
    CHECK_EQ(tu_exists(s1, "new"), 0);
    CHECK_EQ(tu_exists(s1, "t"), 1);
    CHECK_SCAN(s1, "t", "a=1 b=2");
    CHECK_EQ(tu_exists(s2, "other"), 1);

    CHECK_OK(lt_hook_get_stats(h.c, 1, &st));
    CHECK_EQ(st.rejected, 3);
    CHECK_EQ(st.waited, 0);
    CHECK_EQ(st.overlapped, 0);
    CHECK_GE(st.transitions, 1);
    CHECK_GE(st.transition_max_ns, 90 * 1000000ull); /* held for 100 ms */

    /* The quiet cases: after the transition the same operations succeed. */
    CHECK_OK(lt_create(s1, "new"));
    CHECK_OK(RUN_QUICK(&h, TU_OP_TRUNCATE, s1, "t", 30, err));
    CHECK_SCAN(s1, "t", "");
    CHECK_OK(lt_drop(s1, "t"));
    CHECK_OK(lt_hook_get_stats(h.c, 1, &st));
    CHECK_EQ(st.rejected, 3);
    CHECK_GE(st.admitted, 3);
    hk_close(&h);
}

static void
test_reject_during_stepdown(void)
{
    hk h;
    lt_session *s1;
    char err[512];

    REQUIRE(hk_open(&h, LT_POLICY_REJECT, 0));
    REQUIRE_OK(lt_step_up(h.c, 1));
    REQUIRE((s1 = tu_session(h.c, 1)) != NULL);
    REQUIRE(hk_hold(&h, TU_OP_STEP_DOWN, 1, "stepdown.after_flip"));
    CHECK_RC(RUN_QUICK(&h, TU_OP_CREATE, s1, "new", 0, err), EBUSY);
    if (!CHECK(strstr(err, "step-down") != NULL))
        tu_note("message: %s", err);
    CHECK_RC(RUN_QUICK(&h, TU_OP_DROP, s1, "t", 0, err), EBUSY);
    CHECK_OK(hk_release(&h));
    CHECK_EQ(tu_exists(s1, "new"), 0);
    CHECK_EQ(tu_exists(s1, "t"), 1);
    CHECK_OK(lt_create(s1, "new"));
    hk_close(&h);
}

/*
 * A schema operation admitted before the transition: the transition waits for it before it
 * flips (the effect comes before the flip), and the new leader has the table with a stable
 * constituent.
 */
static void
transition_waits_for_schema_op(lt_policy policy)
{
    hk h;
    lt_session *s1;
    tu_async cr;
    tu_async up;
    uint64_t effect, flip, begin;

    REQUIRE(hk_open(&h, policy, 0));
    REQUIRE((s1 = tu_session(h.c, 1)) != NULL);
    tu_hold_arm(&h.hold, "create.after_role_read", 1);
    tu_async_start(&cr, TU_OP_CREATE, h.c, s1, 1, "new", 0);
    if (!CHECK(tu_hold_wait_held(&h.hold, TU_HANG_MS))) {
        tu_hold_release(&h.hold);
        tu_async_join(&cr);
        hk_close(&h);
        return;
    }
    tu_async_start(&up, TU_OP_STEP_UP, h.c, NULL, 1, NULL, 0);
    lr_sleep_ms(200);
    CHECK_EQ(tu_async_done(&up), 0);
    CHECK_EQ(tu_evlog_count(&h.log, LT_EV_TRANSITION_FLIP, TU_ANY, 1, NULL), 0);
    tu_hold_release(&h.hold);
    CHECK_OK(tu_async_join(&cr));
    CHECK_OK(tu_async_join(&up));
    effect = hk_seq(&h, LT_EV_SCHEMA_EFFECT, LT_OP_CREATE, 1, "new");
    begin = hk_seq(&h, LT_EV_TRANSITION_BEGIN, LT_OP_STEP_UP, 1, NULL);
    flip = hk_seq(&h, LT_EV_TRANSITION_FLIP, LT_OP_STEP_UP, 1, NULL);
    CHECK_LT(effect, begin);
    CHECK_LT(effect, flip);
    /* The table made as a follower got its stable constituent at step-up: it works. */
    CHECK_EQ(lt_cluster_leader(h.c), 1);
    CHECK_OK(tu_write(s1, "new", 30, "k=v"));
    CHECK_SCAN(s1, "new", "k=v");
    hk_close(&h);
}

static void
test_transition_waits_for_schema_op_reject(void)
{
    transition_waits_for_schema_op(LT_POLICY_REJECT);
}

static void
test_transition_waits_for_schema_op_wait(void)
{
    transition_waits_for_schema_op(LT_POLICY_WAIT);
}

/* The policy is per node: lt_set_policy on one node leaves the others. */
static void
test_policy_per_node(void)
{
    hk h;
    lt_session *s1, *s2;
    lt_policy p;
    char err[512];

    REQUIRE(hk_open(&h, LT_POLICY_REJECT, 0));
    CHECK_OK(lt_set_policy(h.c, 2, LT_POLICY_OFF));
    CHECK_OK(lt_get_policy(h.c, 1, &p));
    CHECK_EQ(p, LT_POLICY_REJECT);
    CHECK_OK(lt_get_policy(h.c, 2, &p));
    CHECK_EQ(p, LT_POLICY_OFF);
    REQUIRE((s1 = tu_session(h.c, 1)) != NULL);
    REQUIRE((s2 = tu_session(h.c, 2)) != NULL);
    REQUIRE(hk_hold(&h, TU_OP_STEP_UP, 1, "stepup.after_flip"));
    CHECK_RC(RUN_QUICK(&h, TU_OP_CREATE, s1, "x", 0, err), EBUSY);
    CHECK_OK(hk_release(&h));
    CHECK_OK(lt_step_down(h.c, 1));
    REQUIRE(hk_hold(&h, TU_OP_STEP_UP, 2, "stepup.after_flip"));
    CHECK_OK(RUN_QUICK(&h, TU_OP_CREATE, s2, "x", 0, err)); /* off: runs */
    CHECK_OK(hk_release(&h));
    CHECK_EQ(tu_exists(s2, "x"), 1);
    hk_close(&h);
}

int
main(void)
{
    TU_RUN(test_reject_during_stepup);
    TU_RUN(test_reject_during_stepdown);
    TU_RUN(test_transition_waits_for_schema_op_reject);
    TU_RUN(test_transition_waits_for_schema_op_wait);
    TU_RUN(test_policy_per_node);
    return tu_finish();
}
