/*
 * test_stepup.c -- step-up (docs/CONTRACT.md#data-gate, invariants I1 and I4): at most one leader;
 * the drain covers every table, open or not, and tables that had no stable constituent; reads at
 * a read timestamp agree before and after; a leader in step-up reads both constituents and
 * refuses writes; an in-flight follower transaction rolls back and strands nothing.
 */
#include "util.h"

#include <pthread.h>
#include <time.h>

static void
test_one_leader(void)
{
    lt_cluster *c = tu_open(3);
    lt_node_info i0, i1, after;

    REQUIRE(c != NULL);
    CHECK_EQ(lt_cluster_leader(c), 0);
    REQUIRE_OK(lt_node_get_info(c, 0, &i0));
    REQUIRE_OK(lt_node_get_info(c, 1, &i1));
    CHECK_EQ(i0.role, LT_LEADER);
    CHECK_EQ(i1.role, LT_FOLLOWER);
    CHECK_EQ(i1.transition, LT_TR_NONE);

    CHECK_RC(lt_step_up(c, 1), EBUSY); /* node 0 leads */
    CHECK_RC(lt_step_up(c, 2), EBUSY);
    CHECK_RC(lt_step_up(c, 0), EINVAL);   /* already leads */
    CHECK_RC(lt_step_down(c, 1), EINVAL); /* not a leader */
    CHECK_EQ(lt_cluster_leader(c), 0);
    REQUIRE_OK(lt_node_get_info(c, 1, &after));
    CHECK_EQ(after.role, LT_FOLLOWER);
    CHECK_EQ(after.generation, i1.generation); /* a refused step-up changes nothing */

    CHECK_OK(lt_step_down(c, 0));
    CHECK_EQ(lt_cluster_leader(c), -1);
    REQUIRE_OK(lt_node_get_info(c, 0, &after));
    CHECK_EQ(after.role, LT_FOLLOWER);
    CHECK_EQ(after.generation, i0.generation + 1);
    CHECK_RC(lt_step_down(c, 0), EINVAL);

    CHECK_OK(lt_step_up(c, 1));
    CHECK_EQ(lt_cluster_leader(c), 1);
    REQUIRE_OK(lt_node_get_info(c, 1, &after));
    CHECK_EQ(after.role, LT_LEADER);
    CHECK_EQ(after.transition, LT_TR_NONE);
    CHECK_EQ(after.generation, i1.generation + 1);
    CHECK_RC(lt_step_up(c, 0), EBUSY);
    CHECK_RC(lt_step_up(c, 2), EBUSY);
    CHECK_OK(tu_close(c));
}

/*
 * Follower 1 writes to tables A and B through cursors it closes, and creates table C that has no
 * stable constituent; it closes its session. Step-up must drain all three into stable: the new
 * leader reads them, and so does node 2 through the next checkpoint.
 */
static void
test_drain_unopened_tables(void)
{
    lt_cluster_config cfg;
    lt_cluster *c;
    lt_session *s0, *s1, *s2;
    tu_evlog log;
    tu_event ev;
    uint64_t id;

    tu_evlog_init(&log);
    tu_config(&cfg, 3);
    cfg.observer = tu_evlog_observer;
    cfg.observer_arg = &log;
    REQUIRE((c = tu_open_cfg(&cfg)) != NULL);
    REQUIRE((s0 = tu_session(c, 0)) != NULL);
    REQUIRE_OK(lt_create(s0, "A"));
    REQUIRE_OK(lt_create(s0, "B"));
    CHECK_OK(tu_write(s0, "A", 10, "a=1 b=2"));
    CHECK_OK(tu_write(s0, "B", 11, "a=1"));
    REQUIRE(tu_pickup_all(c, tu_checkpoint(c, 0, 20)));
    CHECK_OK(lt_session_close(s0));

    REQUIRE((s1 = tu_session(c, 1)) != NULL);
    CHECK_OK(tu_write(s1, "A", 30, "c=3 -a"));
    CHECK_OK(tu_write(s1, "B", 31, "b=2 a=11"));
    REQUIRE_OK(lt_create(s1, "C"));
    CHECK_OK(tu_write(s1, "C", 32, "z=26"));
    CHECK_SCAN(s1, "A", "b=2 c=3");
    CHECK_OK(lt_session_close(s1));

    tu_evlog_clear(&log);
    REQUIRE_OK(lt_step_down(c, 0));
    REQUIRE_OK(lt_step_up(c, 1));
    CHECK(tu_evlog_find(&log, 0, LT_EV_DRAIN_TABLE, TU_ANY, 1, "A", &ev) >= 0 && ev.count == 2);
    CHECK(tu_evlog_find(&log, 0, LT_EV_DRAIN_TABLE, TU_ANY, 1, "B", &ev) >= 0 && ev.count == 2);
    CHECK(tu_evlog_find(&log, 0, LT_EV_DRAIN_TABLE, TU_ANY, 1, "C", &ev) >= 0 && ev.count == 1);

    REQUIRE((s1 = tu_session(c, 1)) != NULL);
    CHECK_SCAN(s1, "A", "b=2 c=3");
    CHECK_SCAN(s1, "B", "a=11 b=2");
    CHECK_SCAN(s1, "C", "z=26");
    CHECK_GET(s1, "A", "a", NULL);
    CHECK_GET(s1, "A", "c", "3");
    CHECK_GET(s1, "C", "z", "26");
    /* The drained rows keep their commit timestamps. */
    CHECK_SCAN_AT(s1, "B", 30, "a=1");
    CHECK_SCAN_AT(s1, "B", 31, "a=11 b=2");

    /* It is in stable: another node reads it through the next checkpoint. */
    REQUIRE((id = tu_checkpoint(c, 1, 40)) != 0);
    CHECK_OK(lt_pickup(c, 2, id));
    REQUIRE((s2 = tu_session(c, 2)) != NULL);
    CHECK_SCAN(s2, "A", "b=2 c=3");
    CHECK_SCAN(s2, "B", "a=11 b=2");
    CHECK_SCAN(s2, "C", "z=26");
    CHECK_OK(lt_pickup(c, 0, id));
    REQUIRE((s0 = tu_session(c, 0)) != NULL);
    CHECK_SCAN(s0, "C", "z=26");
    CHECK_OK(tu_close(c));
    tu_evlog_destroy(&log);
}

/* Reads at read timestamps at or above the picked-up checkpoint agree before and after step-up. */
static void
test_read_ts_across_stepup(void)
{
    static const uint64_t at[] = {20, 29, 30, 35, 40, 45};
    lt_cluster *c = tu_open(3);
    lt_session *s;
    tu_rows before[6], after[6], now_b, now_a;
    int rcb[6], rca[6];

    REQUIRE(c != NULL);
    REQUIRE(tu_setup_table(c, "t", 10, "a=1 b=2 c=3", 20) != 0);
    REQUIRE((s = tu_session(c, 1)) != NULL);
    CHECK_OK(tu_write(s, "t", 30, "b=B -c d=4"));
    CHECK_OK(tu_write(s, "t", 40, "a=A e=5 -d"));
    for (int i = 0; i < 6; i++) {
        lt_txn_config tc = {LT_ISO_SNAPSHOT, at[i], 0};
        REQUIRE_OK(lt_txn_begin(s, &tc));
        rcb[i] = tu_scan(s, "t", 1, &before[i]);
        lt_txn_rollback(s);
    }
    CHECK_OK(tu_scan(s, "t", 1, &now_b));
    /* Spot checks of "before" itself. */
    tu_check_rows_(__FILE__, __LINE__, "before at 20", rcb[0], &before[0], "a=1 b=2 c=3");
    tu_check_rows_(__FILE__, __LINE__, "before at 35", rcb[3], &before[3], "a=1 b=B d=4");
    tu_check_rows_(__FILE__, __LINE__, "before at 45", rcb[5], &before[5], "a=A b=B e=5");

    REQUIRE_OK(lt_step_down(c, 0));
    REQUIRE_OK(lt_step_up(c, 1));
    for (int i = 0; i < 6; i++) {
        lt_txn_config tc = {LT_ISO_SNAPSHOT, at[i], 0};
        REQUIRE_OK(lt_txn_begin(s, &tc));
        rca[i] = tu_scan(s, "t", 1, &after[i]);
        lt_txn_rollback(s);
        if (!CHECK_RC(rca[i], rcb[i]) || !CHECK(tu_rows_equal(&before[i], &after[i]))) {
            char b[4096], a[4096];
            tu_rows_format(&before[i], b, sizeof(b));
            tu_rows_format(&after[i], a, sizeof(a));
            tu_note("read_ts %" PRIu64 ": before [%s], after [%s]", at[i], b, a);
        }
        tu_rows_free(&before[i]);
        tu_rows_free(&after[i]);
    }
    CHECK_OK(tu_scan(s, "t", 1, &now_a));
    CHECK(tu_rows_equal(&now_b, &now_a));
    tu_rows_free(&now_b);
    tu_rows_free(&now_a);
    CHECK_OK(tu_close(c));
}

/* The leader in step-up, held before the drain: reads merge both constituents; writes roll back. */
typedef struct {
    lt_session *s;
} reader_arg;

static int
reader_during_stepup(void *arg)
{
    reader_arg *r = arg;
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, 60};
    int ok = 1, rc;

    ok &= CHECK_SCAN(r->s, "t", "b=i c=I d=s");
    ok &= CHECK_GET(r->s, "t", "a", NULL);
    ok &= CHECK_GET(r->s, "t", "c", "I");
    ok &= CHECK_GET(r->s, "t", "d", "s");
    if (CHECK_OK(lt_txn_begin(r->s, &tc))) {
        rc = tu_write_in(r->s, "t", "w=1");
        ok &= CHECK_RC(rc, WT_ROLLBACK);
        lt_txn_rollback(r->s);
    }
    return ok ? 0 : EDOM;
}

static void
test_leader_reads_during_stepup(void)
{
    lt_cluster_config cfg;
    lt_cluster *c;
    lt_session *s1, *s2;
    tu_hold hold;
    tu_async up, rd;
    reader_arg ra;
    lt_node_info info;
    uint64_t id;

    tu_hold_init(&hold);
    tu_config(&cfg, 3);
    cfg.yield = tu_hold_yield;
    cfg.yield_arg = &hold;
    REQUIRE((c = tu_open_cfg(&cfg)) != NULL);
    REQUIRE(tu_setup_table(c, "t", 10, "a=s c=s d=s", 20) != 0);
    REQUIRE((s1 = tu_session(c, 1)) != NULL);
    CHECK_OK(tu_write(s1, "t", 30, "b=i c=I -a"));
    REQUIRE_OK(lt_step_down(c, 0));

    tu_hold_arm(&hold, "drain.entry", 1);
    tu_async_start(&up, TU_OP_STEP_UP, c, NULL, 1, NULL, 0);
    if (CHECK(tu_hold_wait_held(&hold, TU_HANG_MS))) {
        CHECK_OK(lt_node_get_info(c, 1, &info));
        CHECK_EQ(info.role, LT_LEADER);
        CHECK_EQ(info.transition, LT_TR_STEP_UP);
        ra.s = s1;
        tu_async_fn(&rd, reader_during_stepup, &ra);
        if (!CHECK(tu_async_wait(&rd, TU_HANG_MS)))
            tu_note("a reader blocked behind the held step-up");
        tu_hold_release(&hold);
        CHECK_OK(tu_async_join(&rd));
    }
    tu_hold_release(&hold);
    CHECK_OK(tu_async_join(&up));
    CHECK_SCAN(s1, "t", "b=i c=I d=s");
    REQUIRE((id = tu_checkpoint(c, 1, 40)) != 0);
    CHECK_OK(lt_pickup(c, 2, id));
    REQUIRE((s2 = tu_session(c, 2)) != NULL);
    CHECK_SCAN(s2, "t", "b=i c=I d=s");
    CHECK_OK(tu_close(c));
    tu_hold_destroy(&hold);
}

/*
 * A table created on a follower and in no checkpoint has no stable constituent until the step-up
 * makes one. Held just before that: the table is readable (its rows are in the ingest), by a new
 * cursor and by one positioned before; after the drain both still see every row.
 */
static int
reader_before_stable(void *arg)
{
    reader_arg *r = arg;
    int ok = 1;

    ok &= CHECK_SCAN(r->s, "n", "a=1 b=2 c=3");
    ok &= CHECK_GET(r->s, "n", "b", "2");
    ok &= CHECK_GET(r->s, "n", "z", NULL);
    return ok ? 0 : EDOM;
}

static void
test_reads_before_stable_created(void)
{
    lt_cluster_config cfg;
    lt_cluster *c;
    lt_session *s1;
    lt_cursor *held;
    const char *k;
    tu_hold hold;
    tu_async up, rd;
    reader_arg ra;

    tu_hold_init(&hold);
    tu_config(&cfg, 2);
    cfg.yield = tu_hold_yield;
    cfg.yield_arg = &hold;
    REQUIRE((c = tu_open_cfg(&cfg)) != NULL);
    REQUIRE((s1 = tu_session(c, 1)) != NULL);
    REQUIRE_OK(lt_create(s1, "n"));
    CHECK_OK(tu_write(s1, "n", 10, "a=1 b=2 c=3"));
    REQUIRE_OK(lt_cursor_open(s1, "n", NULL, &held));
    CHECK_OK(lt_cursor_next(held));
    REQUIRE_OK(lt_step_down(c, 0));

    tu_hold_arm(&hold, "stepup.create_stable", 1);
    tu_async_start(&up, TU_OP_STEP_UP, c, NULL, 1, NULL, 0);
    if (CHECK(tu_hold_wait_held(&hold, TU_HANG_MS))) {
        ra.s = s1;
        tu_async_fn(&rd, reader_before_stable, &ra);
        if (!CHECK(tu_async_wait(&rd, TU_HANG_MS)))
            tu_note("a reader blocked behind the held step-up");
        CHECK_OK(tu_async_join(&rd));
        if (CHECK_OK(lt_cursor_next(held)) && CHECK_OK(lt_cursor_get_key(held, &k)))
            CHECK(strcmp(k, "b") == 0);
    }
    tu_hold_release(&hold);
    CHECK_OK(tu_async_join(&up));
    if (CHECK_OK(lt_cursor_next(held)) && CHECK_OK(lt_cursor_get_key(held, &k)))
        CHECK(strcmp(k, "c") == 0);
    CHECK_OK(lt_cursor_close(held));
    CHECK_SCAN(s1, "n", "a=1 b=2 c=3");
    CHECK_OK(tu_close(c));
    tu_hold_destroy(&hold);
}

/*
 * Follower transactions open across a step-up: one writes again, one commits at once. Both fail
 * with WT_ROLLBACK; nothing they wrote is in the table, now or after the node steps down and up
 * again (rows stranded in ingest would show then).
 */
static void
inflight_scenario(unsigned faults, int *commit_rc_a, int *commit_rc_b, int *stranded)
{
    lt_cluster_config cfg;
    lt_cluster *c;
    lt_session *sa, *sb, *s;
    lt_txn_config ta = {LT_ISO_SNAPSHOT, 0, 40}, tb = {LT_ISO_SNAPSHOT, 0, 41};
    tu_rows rows;
    int rc;

    *commit_rc_a = *commit_rc_b = -1;
    *stranded = 0;
    tu_config(&cfg, 3);
    cfg.faults = faults;
    REQUIRE((c = tu_open_cfg(&cfg)) != NULL);
    REQUIRE(tu_setup_table(c, "t", 10, "a=1", 20) != 0);
    REQUIRE((s = tu_session(c, 1)) != NULL);
    REQUIRE((sa = tu_session(c, 1)) != NULL);
    REQUIRE((sb = tu_session(c, 1)) != NULL);
    CHECK_OK(tu_write(s, "t", 30, "b=2"));
    REQUIRE_OK(lt_txn_begin(sa, &ta));
    CHECK_OK(tu_write_in(sa, "t", "x=9"));
    REQUIRE_OK(lt_txn_begin(sb, &tb));
    CHECK_OK(tu_write_in(sb, "t", "y=8"));

    REQUIRE_OK(lt_step_down(c, 0));
    REQUIRE_OK(lt_step_up(c, 1));

    rc = tu_write_in(sa, "t", "x2=9");
    if (faults == 0)
        CHECK_RC(rc, WT_ROLLBACK);
    *commit_rc_a = lt_txn_commit(sa, 0);
    if (*commit_rc_a != 0)
        (void)lt_txn_rollback(sa);
    *commit_rc_b = lt_txn_commit(sb, 0);
    if (faults == 0) {
        CHECK_RC2(*commit_rc_a, WT_ROLLBACK, EINVAL);
        CHECK_RC(*commit_rc_b, WT_ROLLBACK);
        CHECK_SCAN(s, "t", "a=1 b=2");
        CHECK_GET(s, "t", "x", NULL);
    }
    if (tu_scan(s, "t", 1, &rows) == 0 && rows.n != 2)
        *stranded = 1;
    tu_rows_free(&rows);

    /* Back to follower: view = checkpoint at 20, ingest empty. Then leader again. */
    REQUIRE_OK(lt_step_down(c, 1));
    if (faults == 0)
        CHECK_SCAN(s, "t", "a=1");
    if (tu_scan(s, "t", 1, &rows) == 0 && rows.n != 1)
        *stranded = 1;
    tu_rows_free(&rows);
    REQUIRE_OK(lt_step_up(c, 1));
    if (faults == 0)
        CHECK_SCAN(s, "t", "a=1 b=2");
    if (tu_scan(s, "t", 1, &rows) == 0 && rows.n != 2)
        *stranded = 1;
    tu_rows_free(&rows);
    /* Sessions are usable again. */
    CHECK_OK(tu_write(sa, "t", 50, "c=3"));
    CHECK_GET(sb, "t", "c", "3");
    CHECK_OK(tu_close(c));
}

static void
test_inflight_follower_txn(void)
{
    int ra, rb, stranded;

    inflight_scenario(0, &ra, &rb, &stranded);
    CHECK_EQ(stranded, 0);
}

/* Must detect: with LT_FAULT_TXN_STRAND the same scenario shows the defect. */
static void
test_inflight_follower_txn_fault_detected(void)
{
    int ra, rb, stranded;

    inflight_scenario(LT_FAULT_TXN_STRAND, &ra, &rb, &stranded);
    if (!CHECK(ra == 0 || rb == 0 || stranded))
        tu_note("LT_FAULT_TXN_STRAND: commits returned %s and %s, nothing stranded", tu_rcname(ra),
          tu_rcname(rb));
}

/*
 * Each node applies a truncate from its own log, the follower first. The follower then picks up
 * a checkpoint newer than its truncate that the leader took before truncating (it still holds the
 * rows), collects its ingest garbage and steps up. The shared stable never saw the follower's
 * tombstones, so GC must keep them and the drain must move them although they are older than
 * that checkpoint: the new leader shows the table empty,
 * and so does every node once the old leader has truncated too and a checkpoint is picked up.
 */
static void
test_drain_follower_truncate_below_ckpt(void)
{
    lt_cluster *c = tu_open(3);
    lt_session *s0, *s1;
    lt_txn_config t20 = {LT_ISO_SNAPSHOT, 0, 20}, t30 = {LT_ISO_SNAPSHOT, 0, 30};
    uint64_t id, removed;

    REQUIRE(c != NULL);
    REQUIRE(tu_setup_table(c, "t", 10, "a=1 b=2", 10) != 0);
    REQUIRE((s0 = tu_session(c, 0)) != NULL);
    REQUIRE((s1 = tu_session(c, 1)) != NULL);
    REQUIRE_OK(lt_txn_begin(s1, &t20));
    REQUIRE_OK(lt_truncate(s1, "t"));
    REQUIRE_OK(lt_txn_commit(s1, 0));
    CHECK_SCAN(s1, "t", "");
    REQUIRE((id = tu_checkpoint(c, 0, 21)) != 0); /* the leader has not truncated yet */
    REQUIRE(tu_pickup_all(c, id));
    CHECK_OK(lt_gc(c, 1, &removed)); /* the tombstones are below the GC bound, in no stable */
    CHECK_EQ(removed, 0);
    REQUIRE_OK(lt_step_down(c, 0));
    REQUIRE_OK(lt_step_up(c, 1));
    CHECK_SCAN(s1, "t", "");
    CHECK_GET(s1, "t", "a", NULL);
    /* The old leader applies the same truncate from its log, now as a follower. */
    REQUIRE_OK(lt_txn_begin(s0, &t30));
    REQUIRE_OK(lt_truncate(s0, "t"));
    REQUIRE_OK(lt_txn_commit(s0, 0));
    REQUIRE((id = tu_checkpoint(c, 1, 31)) != 0);
    REQUIRE(tu_pickup_all(c, id));
    CHECK_SCAN(s0, "t", "");
    CHECK_SCAN(s1, "t", "");
    CHECK_OK(tu_close(c));
}

/*
 * A leader writes rows no checkpoint holds, steps down (its view is then its last checkpoint,
 * without them), applies a truncate from its log as a follower and steps up again: the truncate
 * must cover the rows the shared stable holds although the follower could not see them, or they
 * stay in stable after the drain.
 */
static void
test_truncate_after_stepdown_covers_stable(void)
{
    lt_cluster *c = tu_open(2);
    lt_session *s0;
    lt_txn_config t30 = {LT_ISO_SNAPSHOT, 0, 30};

    REQUIRE(c != NULL);
    REQUIRE(tu_setup_table(c, "t", 10, "a=1", 10) != 0);
    REQUIRE((s0 = tu_session(c, 0)) != NULL);
    CHECK_OK(tu_write(s0, "t", 20, "b=2 c=3"));
    REQUIRE_OK(lt_step_down(c, 0));
    CHECK_SCAN(s0, "t", "a=1"); /* the follower's view: its last checkpoint */
    REQUIRE_OK(lt_txn_begin(s0, &t30));
    REQUIRE_OK(lt_truncate(s0, "t"));
    REQUIRE_OK(lt_txn_commit(s0, 0));
    CHECK_SCAN(s0, "t", "");
    REQUIRE_OK(lt_step_up(c, 0));
    CHECK_SCAN(s0, "t", "");
    CHECK_GET(s0, "t", "b", NULL);
    CHECK_OK(tu_close(c));
}

/*
 * A snapshot transaction begun on a follower before its step-up, with no layered operation yet:
 * its WiredTiger snapshot predates the drain. Its first read as the leader must see what the
 * drain moved to stable, and a truncate in it must remove those rows (found by the stress run's
 * quiescent checks: a truncate that waited out a step-up removed nothing).
 */
static void
test_txn_begun_before_stepup_sees_drain(void)
{
    lt_cluster *c = tu_open(2);
    lt_session *s1, *r1, *t1;
    lt_txn_config rd = {LT_ISO_SNAPSHOT, 0, 0}, tr = {LT_ISO_SNAPSHOT, 0, 30};

    REQUIRE(c != NULL);
    REQUIRE((s1 = tu_session(c, 1)) != NULL);
    REQUIRE((r1 = tu_session(c, 1)) != NULL);
    REQUIRE((t1 = tu_session(c, 1)) != NULL);
    REQUIRE(tu_setup_table(c, "t", 10, "", 10) != 0);
    CHECK_OK(tu_write(s1, "t", 20, "a=1 b=2")); /* the follower's ingest */
    REQUIRE_OK(lt_txn_begin(r1, &rd));
    REQUIRE_OK(lt_txn_begin(t1, &tr));
    REQUIRE_OK(lt_step_down(c, 0));
    REQUIRE_OK(lt_step_up(c, 1));
    CHECK_SCAN(r1, "t", "a=1 b=2");
    CHECK_OK(lt_txn_rollback(r1));
    CHECK_OK(lt_truncate(t1, "t"));
    CHECK_OK(lt_txn_commit(t1, 0));
    CHECK_SCAN(s1, "t", "");
    CHECK_OK(tu_close(c));
}

/*
 * The previous leader's transaction still holds uncommitted writes to a stable table (a truncate;
 * its generation is gone, so it can only roll back) when the new leader's drain writes the same
 * key: the drain meets a write conflict and must wait for the rollback instead of failing the
 * step-up (seen once in a 60 s stress run).
 */
static void *
rollback_later(void *arg)
{
    lr_sleep_ms(100);
    (void)lt_txn_rollback(arg);
    return (NULL);
}

static void
test_drain_waits_for_old_leader_txn(void)
{
    lt_cluster *c = tu_open(2);
    lt_session *s0, *s1;
    lt_txn_config t30 = {LT_ISO_SNAPSHOT, 0, 30};
    pthread_t th;

    REQUIRE(c != NULL);
    REQUIRE(tu_setup_table(c, "t", 10, "a=1", 10) != 0);
    REQUIRE((s0 = tu_session(c, 0)) != NULL);
    REQUIRE((s1 = tu_session(c, 1)) != NULL);
    CHECK_OK(tu_write(s1, "t", 20, "a=F")); /* a version only the follower has */
    REQUIRE_OK(lt_txn_begin(s0, &t30));
    REQUIRE_OK(lt_truncate(s0, "t")); /* uncommitted writes to the stable table */
    REQUIRE_OK(lt_step_down(c, 0));
    REQUIRE(pthread_create(&th, NULL, rollback_later, s0) == 0);
    CHECK_OK(lt_step_up(c, 1));
    (void)pthread_join(th, NULL);
    CHECK_GET(s1, "t", "a", "F");
    CHECK_OK(tu_close(c));
}

/*
 * A drain of more rows than LT_SWAP_ROWS swaps the ingest table for a new one, while a doomed
 * follower transaction still holds an uncommitted row in the old one: its rollback must find
 * that row's memory alive (the old table is dropped unforced, once the transaction is gone; a
 * forced drop freed it: ASan and valgrind see the rollback write into freed memory), and every
 * committed row is served.
 */
static void
test_large_drain_inflight_txn(void)
{
    lt_cluster *c = tu_open(3);
    lt_session *s, *sa;
    lt_txn_config t30 = {LT_ISO_SNAPSHOT, 0, 30}, t40 = {LT_ISO_SNAPSHOT, 0, 40};
    lt_cursor *cur;
    tu_rows rows;
    char key[16];
    int i;

    REQUIRE(c != NULL);
    REQUIRE(tu_setup_table(c, "t", 10, "a=1", 20) != 0);
    REQUIRE((s = tu_session(c, 1)) != NULL);
    REQUIRE((sa = tu_session(c, 1)) != NULL);
    REQUIRE_OK(lt_txn_begin(s, &t30));
    REQUIRE_OK(lt_cursor_open(s, "t", NULL, &cur));
    for (i = 0; i < 5000; i++) {
        (void)snprintf(key, sizeof(key), "k%05d", i);
        lt_cursor_set_key(cur, key);
        lt_cursor_set_value(cur, "v", 1);
        REQUIRE_OK(lt_cursor_insert(cur));
    }
    CHECK_OK(lt_cursor_close(cur));
    REQUIRE_OK(lt_txn_commit(s, 0));
    REQUIRE_OK(lt_txn_begin(sa, &t40));
    CHECK_OK(tu_write_in(sa, "t", "x=9"));
    REQUIRE_OK(lt_step_down(c, 0));
    REQUIRE_OK(lt_step_up(c, 1));
    CHECK_RC(lt_txn_commit(sa, 0), WT_ROLLBACK);
    (void)lt_txn_rollback(sa);
    if (CHECK_OK(tu_scan(s, "t", 1, &rows)))
        CHECK_EQ(rows.n, 5001);
    tu_rows_free(&rows);
    CHECK_GET(s, "t", "x", NULL);
    CHECK_OK(tu_close(c));
}

int
main(void)
{
    TU_RUN(test_one_leader);
    TU_RUN(test_drain_unopened_tables);
    TU_RUN(test_read_ts_across_stepup);
    TU_RUN(test_leader_reads_during_stepup);
    TU_RUN(test_reads_before_stable_created);
    TU_RUN(test_drain_follower_truncate_below_ckpt);
    TU_RUN(test_truncate_after_stepdown_covers_stable);
    TU_RUN(test_txn_begun_before_stepup_sees_drain);
    TU_RUN(test_drain_waits_for_old_leader_txn);
    TU_RUN(test_inflight_follower_txn);
    TU_RUN(test_inflight_follower_txn_fault_detected);
    TU_RUN(test_large_drain_inflight_txn);
    return tu_finish();
}
