/*
 * test_hook_off.c -- the RTI hook, policy off (docs/CONTRACT.md#policy-off): upstream's behaviour.
 *
 * With a transition held open at a yield point, a schema operation on that node runs at once:
 * its effect event lies between the transition's begin and end events, and the hook counts it as
 * overlapped. A transition does not wait for an admitted schema operation either. Without a
 * transition nothing counts as overlapped (the quiet case).
 */
#include "util.h"

#include "hook_util.h"

static void
test_off_overlaps(void)
{
    hk h;
    lt_session *s1;
    tu_async cr;
    lt_hook_stats st;
    uint64_t begin, end, eff;

    REQUIRE(hk_open(&h, LT_POLICY_OFF, 0));
    REQUIRE((s1 = tu_session(h.c, 1)) != NULL);
    CHECK_OK(lt_create(s1, "quiet"));
    CHECK_OK(lt_hook_get_stats(h.c, 1, &st));
    CHECK_EQ(st.overlapped, 0); /* the quiet case */

    REQUIRE(hk_hold(&h, TU_OP_STEP_UP, 1, "stepup.after_flip"));
    tu_async_start(&cr, TU_OP_CREATE, h.c, s1, 1, "new", 0);
    CHECK(tu_async_wait(&cr, 5000)); /* runs while the transition is held */
    CHECK_EQ(tu_evlog_count(&h.log, LT_EV_TRANSITION_END, TU_ANY, 1, NULL), 0);
    CHECK_OK(hk_release(&h));
    CHECK_OK(tu_async_join(&cr));
    begin = hk_seq(&h, LT_EV_TRANSITION_BEGIN, LT_OP_STEP_UP, 1, NULL);
    end = hk_seq(&h, LT_EV_TRANSITION_END, LT_OP_STEP_UP, 1, NULL);
    eff = hk_seq(&h, LT_EV_SCHEMA_EFFECT, LT_OP_CREATE, 1, "new");
    CHECK_GT(eff, begin);
    CHECK_LT(eff, end);
    CHECK_EQ(tu_evlog_count(&h.log, LT_EV_REJECT, TU_ANY, TU_ANY, NULL), 0);
    CHECK_EQ(tu_evlog_count(&h.log, LT_EV_WAIT_BEGIN, TU_ANY, TU_ANY, NULL), 0);
    CHECK_OK(lt_hook_get_stats(h.c, 1, &st));
    CHECK_EQ(st.overlapped, 1);
    CHECK_EQ(st.rejected, 0);
    CHECK_EQ(st.waited, 0);
    /* After the transition: admitted, not overlapped. */
    CHECK_OK(lt_drop(s1, "quiet"));
    CHECK_OK(lt_hook_get_stats(h.c, 1, &st));
    CHECK_EQ(st.overlapped, 1);
    hk_close(&h);
}

/* The transition does not wait for a schema operation parked inside the library. */
static void
test_off_transition_does_not_wait(void)
{
    hk h;
    lt_session *s1;
    tu_async cr, up;
    uint64_t end, eff;

    REQUIRE(hk_open(&h, LT_POLICY_OFF, 0));
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
    if (!CHECK(tu_async_wait(&up, 5000)))
        tu_note("with policy off the step-up waited for a parked create");
    tu_hold_release(&h.hold);
    CHECK_OK(tu_async_join(&up));
    CHECK_OK(tu_async_join(&cr));
    end = hk_seq(&h, LT_EV_TRANSITION_END, LT_OP_STEP_UP, 1, NULL);
    eff = hk_seq(&h, LT_EV_SCHEMA_EFFECT, LT_OP_CREATE, 1, "new");
    CHECK_GT(eff, end); /* the overlap upstream allows */
    hk_close(&h);
}

int
main(void)
{
    TU_RUN(test_off_overlaps);
    TU_RUN(test_off_transition_does_not_wait);
    return tu_finish();
}
