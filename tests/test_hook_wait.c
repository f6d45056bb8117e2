/*
 * test_hook_wait.c -- the RTI hook with policy wait (docs/CONTRACT.md#policy-wait, invariant I5).
 *
 * With a transition held open at a yield point, create, drop and truncate on that node block;
 * after the test releases the transition they succeed, and each one's effect event comes after
 * the transition's end event. Past cfg.wait_timeout_ms the wait gives up with ETIMEDOUT and
 * changes nothing. Without a transition nothing waits (the quiet case).
 */
#include "util.h"

#include "hook_util.h"

static void
test_wait_blocks_then_runs(void)
{
    hk h;
    lt_session *sc, *sd, *st;
    tu_async cr, dr, tr;
    lt_hook_stats stats;
    uint64_t end, e_cr, e_dr, e_tr;

    REQUIRE(hk_open(&h, LT_POLICY_WAIT, 0));
    REQUIRE((sc = tu_session(h.c, 1)) != NULL);
    REQUIRE((sd = tu_session(h.c, 1)) != NULL);
    REQUIRE((st = tu_session(h.c, 1)) != NULL);
    REQUIRE_OK(lt_create(sd, "d"));
    CHECK_OK(lt_hook_get_stats(h.c, 1, &stats));
    CHECK_EQ(stats.waited, 0); /* the quiet case */
    tu_evlog_clear(&h.log);

    REQUIRE(hk_hold(&h, TU_OP_STEP_UP, 1, "stepup.after_flip"));
    tu_async_start(&cr, TU_OP_CREATE, h.c, sc, 1, "new", 0);
    tu_async_start(&dr, TU_OP_DROP, h.c, sd, 1, "d", 0);
    tu_async_start(&tr, TU_OP_TRUNCATE, h.c, st, 1, "t", 30);
    for (int i = 0; i < 3; i++)
        (void)tu_evlog_wait(&h.log, LT_EV_WAIT_BEGIN,
          i == 0   ? LT_OP_CREATE :
            i == 1 ? LT_OP_DROP :
                     LT_OP_TRUNCATE,
          1, NULL, TU_HANG_MS, NULL);
    CHECK_EQ(tu_evlog_count(&h.log, LT_EV_WAIT_BEGIN, TU_ANY, 1, NULL), 3);
    lr_sleep_ms(100);
    CHECK_EQ(tu_async_done(&cr), 0);
    CHECK_EQ(tu_async_done(&dr), 0);
    CHECK_EQ(tu_async_done(&tr), 0);
    CHECK_EQ(tu_evlog_count(&h.log, LT_EV_SCHEMA_EFFECT, TU_ANY, 1, NULL), 0);
    CHECK_OK(hk_release(&h));
    CHECK_OK(tu_async_join(&cr));
    CHECK_OK(tu_async_join(&dr));
    CHECK_OK(tu_async_join(&tr));

    end = hk_seq(&h, LT_EV_TRANSITION_END, LT_OP_STEP_UP, 1, NULL);
    e_cr = hk_seq(&h, LT_EV_SCHEMA_EFFECT, LT_OP_CREATE, 1, "new");
    e_dr = hk_seq(&h, LT_EV_SCHEMA_EFFECT, LT_OP_DROP, 1, "d");
    e_tr = hk_seq(&h, LT_EV_SCHEMA_EFFECT, LT_OP_TRUNCATE, 1, "t");
    CHECK_GT(e_cr, end);
    CHECK_GT(e_dr, end);
    CHECK_GT(e_tr, end);
    CHECK_EQ(tu_evlog_count(&h.log, LT_EV_WAIT_END, TU_ANY, 1, NULL), 3);

    /* Each ran as the new leader would: the table works, d is gone, t is empty. */
    CHECK_EQ(tu_exists(sc, "new"), 1);
    CHECK_EQ(tu_exists(sc, "d"), 0);
    CHECK_OK(tu_write(sc, "new", 31, "k=v"));
    CHECK_SCAN(sc, "new", "k=v");
    CHECK_SCAN(sc, "t", "");

    CHECK_OK(lt_hook_get_stats(h.c, 1, &stats));
    CHECK_EQ(stats.waited, 3);
    CHECK_EQ(stats.timed_out, 0);
    CHECK_EQ(stats.rejected, 0);
    CHECK_GE(stats.wait_ns, 3 * 90 * 1000000ull); /* three waits of at least 100 ms */
    CHECK_GE(stats.admitted, 4);
    CHECK_OK(lt_hook_get_stats(h.c, -1, &stats));
    CHECK_EQ(stats.waited, 3);
    hk_close(&h);
}

static void
test_wait_timeout(void)
{
    hk h;
    lt_session *s1;
    tu_async cr;
    lt_hook_stats stats;
    tu_event ev;
    int rc;

    REQUIRE(hk_open(&h, LT_POLICY_WAIT, 200));
    REQUIRE((s1 = tu_session(h.c, 1)) != NULL);
    REQUIRE(hk_hold(&h, TU_OP_STEP_UP, 1, "stepup.after_flip"));
    tu_async_start(&cr, TU_OP_CREATE, h.c, s1, 1, "new", 0);
    if (!CHECK(tu_async_wait(&cr, 5000)))
        tu_note("the wait did not time out within 5 s");
    CHECK_OK(hk_release(&h));
    rc = tu_async_join(&cr);
    CHECK_RC(rc, ETIMEDOUT);
    CHECK_GE(cr.t_end - cr.t_start, 150 * 1000000ull);
    CHECK(strstr(cr.err, "new") != NULL);
    CHECK_EQ(tu_exists(s1, "new"), 0);
    CHECK(tu_evlog_find(&h.log, 0, LT_EV_WAIT_END, LT_OP_CREATE, 1, "new", &ev) >= 0 &&
      ev.rc == ETIMEDOUT);
    CHECK_EQ(tu_evlog_count(&h.log, LT_EV_SCHEMA_EFFECT, LT_OP_CREATE, 1, "new"), 0);
    CHECK_OK(lt_hook_get_stats(h.c, 1, &stats));
    CHECK_EQ(stats.timed_out, 1);
    CHECK_EQ(stats.waited, 1);
    /* Afterwards the same create runs at once. */
    CHECK_OK(lt_create(s1, "new"));
    CHECK_OK(lt_hook_get_stats(h.c, 1, &stats));
    CHECK_EQ(stats.waited, 1);
    hk_close(&h);
}

/* A wait that spans a step-down as well (the hook is per node and per transition). */
static void
test_wait_stepdown(void)
{
    hk h;
    lt_session *s1;
    tu_async cr;
    uint64_t end, eff;

    REQUIRE(hk_open(&h, LT_POLICY_WAIT, 0));
    REQUIRE_OK(lt_step_up(h.c, 1));
    REQUIRE((s1 = tu_session(h.c, 1)) != NULL);
    tu_evlog_clear(&h.log);
    REQUIRE(hk_hold(&h, TU_OP_STEP_DOWN, 1, "stepdown.after_flip"));
    tu_async_start(&cr, TU_OP_CREATE, h.c, s1, 1, "new", 0);
    (void)tu_evlog_wait(&h.log, LT_EV_WAIT_BEGIN, LT_OP_CREATE, 1, NULL, TU_HANG_MS, NULL);
    lr_sleep_ms(50);
    CHECK_EQ(tu_async_done(&cr), 0);
    CHECK_OK(hk_release(&h));
    CHECK_OK(tu_async_join(&cr));
    end = hk_seq(&h, LT_EV_TRANSITION_END, LT_OP_STEP_DOWN, 1, NULL);
    eff = hk_seq(&h, LT_EV_SCHEMA_EFFECT, LT_OP_CREATE, 1, "new");
    CHECK_GT(eff, end);
    CHECK_EQ(tu_exists(s1, "new"), 1);
    hk_close(&h);
}

int
main(void)
{
    TU_RUN(test_wait_blocks_then_runs);
    TU_RUN(test_wait_timeout);
    TU_RUN(test_wait_stepdown);
    return tu_finish();
}
