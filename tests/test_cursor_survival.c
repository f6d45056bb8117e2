/*
 * test_cursor_survival.c -- a long-lived cursor survives what happens underneath it
 * (docs/CONTRACT.md#cursor; race classes 8-10, docs/CONTRACT.md#class-8): step-up and step-down
 * while it is positioned on an ingest row, bulk growth, removal of every row, and a cursor opened
 * before its table had a stable constituent. Outside a transaction the next operation continues
 * from the cursor's key: no wrong row, no spurious WT_NOTFOUND, no repeated key.
 */
#include "util.h"

/* Stable a c e (checkpoint 20); node 1's ingest b d (ts 30). */
static lt_cluster *
setup(int nodes)
{
    lt_cluster *c = tu_open(nodes);
    lt_session *s;

    if (c == NULL || tu_setup_table(c, "t", 10, "a=s c=s e=s", 20) == 0)
        return NULL;
    if ((s = tu_session(c, 1)) == NULL || !CHECK_OK(tu_write(s, "t", 30, "b=i d=i")))
        return NULL;
    lt_session_close(s);
    return c;
}

/*
 * Positioned on an ingest row, the node steps up: its ingest drains into stable. Rows that were
 * visible before (b, d) stay visible to the cursor's next moves.
 */
static void
test_cursor_across_stepup(void)
{
    lt_cluster *c = setup(3);
    lt_session *s;
    lt_cursor *fwd, *back;

    REQUIRE(c != NULL);
    REQUIRE((s = tu_session(c, 1)) != NULL);
    REQUIRE_OK(lt_cursor_open(s, "t", NULL, &fwd));
    REQUIRE_OK(lt_cursor_open(s, "t", NULL, &back));
    lt_cursor_set_key(fwd, "b");
    CHECK_CUR_KEY(lt_cursor_search(fwd), fwd, "b");
    lt_cursor_set_key(back, "d");
    CHECK_CUR_KEY(lt_cursor_search(back), back, "d");

    REQUIRE_OK(lt_step_down(c, 0));
    REQUIRE_OK(lt_step_up(c, 1));
    CHECK_CUR_KEY(lt_cursor_next(fwd), fwd, "c");
    CHECK_CUR_KEY(lt_cursor_next(fwd), fwd, "d");
    CHECK_CUR_VAL(fwd, "i");
    CHECK_CUR_KEY(lt_cursor_next(fwd), fwd, "e");
    CHECK_RC(lt_cursor_next(fwd), WT_NOTFOUND);
    CHECK_CUR_KEY(lt_cursor_prev(back), back, "c");
    CHECK_CUR_KEY(lt_cursor_prev(back), back, "b");
    CHECK_CUR_VAL(back, "i");
    CHECK_CUR_KEY(lt_cursor_prev(back), back, "a");
    CHECK_RC(lt_cursor_prev(back), WT_NOTFOUND);
    CHECK_OK(lt_cursor_close(fwd));
    CHECK_OK(lt_cursor_close(back));
    CHECK_SCAN(s, "t", "a=s b=i c=s d=i e=s");
    CHECK_OK(tu_close(c));
}

/*
 * Positioned on the leader, the node steps down: the cursor's next move reads the checkpoint the
 * node published (20), continuing from its key: b, written after that checkpoint, is not there.
 */
static void
test_cursor_across_stepdown(void)
{
    lt_cluster *c = tu_open(2);
    lt_session *s;
    lt_cursor *fwd, *back;

    REQUIRE(c != NULL);
    REQUIRE(tu_setup_table(c, "t", 10, "a=s c=s e=s", 20) != 0);
    REQUIRE((s = tu_session(c, 0)) != NULL);
    CHECK_OK(tu_write(s, "t", 25, "b=l d=l"));
    REQUIRE_OK(lt_cursor_open(s, "t", NULL, &fwd));
    REQUIRE_OK(lt_cursor_open(s, "t", NULL, &back));
    CHECK_CUR_KEY(lt_cursor_next(fwd), fwd, "a");
    CHECK_CUR_KEY(lt_cursor_next(fwd), fwd, "b");
    lt_cursor_set_key(back, "d");
    CHECK_CUR_KEY(lt_cursor_search(back), back, "d");
    REQUIRE_OK(lt_step_down(c, 0));
    CHECK_CUR_KEY(lt_cursor_next(fwd), fwd, "c");
    CHECK_CUR_KEY(lt_cursor_next(fwd), fwd, "e");
    CHECK_RC(lt_cursor_next(fwd), WT_NOTFOUND);
    CHECK_CUR_KEY(lt_cursor_prev(back), back, "c");
    CHECK_CUR_KEY(lt_cursor_prev(back), back, "a");
    CHECK_RC(lt_cursor_prev(back), WT_NOTFOUND);
    CHECK_OK(lt_cursor_close(fwd));
    CHECK_OK(lt_cursor_close(back));
    CHECK_SCAN(s, "t", "a=s c=s e=s");
    CHECK_OK(tu_close(c));
}

/* Bulk growth under a positioned cursor, then removal of every row. */
static void
test_cursor_bulk_growth_and_removal(void)
{
    lt_cluster *c = setup(2);
    lt_session *s, *w;
    lt_cursor *cur;
    char script[64 * 1024], *p = script;
    const char *key = "";
    int n;

    REQUIRE(c != NULL);
    REQUIRE((s = tu_session(c, 1)) != NULL);
    REQUIRE((w = tu_session(c, 1)) != NULL);
    REQUIRE_OK(lt_cursor_open(s, "t", NULL, &cur));
    lt_cursor_set_key(cur, "b");
    CHECK_CUR_KEY(lt_cursor_search(cur), cur, "b");
    for (int i = 0; i < 2000; i++)
        p += sprintf(p, "b%04d=g ", i);
    CHECK_OK(tu_write(w, "t", 40, script));
    /*
     * Whether the rows committed after the cursor positioned are visible to it follows
     * WiredTiger's rule for a positioned cursor outside a transaction (it keeps its snapshot, so
     * a plain table shows c next); either way the cursor continues in order from b.
     */
    CHECK(lt_cursor_next(cur) == 0 && lt_cursor_get_key(cur, &key) == 0);
    if (strcmp(key, "b0000") == 0) {
        for (n = 1; lt_cursor_next(cur) == 0; n++) {
            if (lt_cursor_get_key(cur, &key) != 0 || key[0] != 'b')
                break;
        }
        CHECK_EQ(n, 2000);
    }
    CHECK(lt_cursor_get_key(cur, &key) == 0 && strcmp(key, "c") == 0);
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "d");
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "e");
    CHECK_RC(lt_cursor_next(cur), WT_NOTFOUND);
    /* A new scan (the cursor ran off the end, so it has a fresh snapshot) sees them all. */
    n = 0;
    while (lt_cursor_next(cur) == 0)
        n++;
    CHECK_EQ(n, 2005);

    /* Remove every row while the cursor stands on c. */
    lt_cursor_set_key(cur, "c");
    CHECK_CUR_KEY(lt_cursor_search(cur), cur, "c");
    p = script;
    for (int i = 0; i < 2000; i++)
        p += sprintf(p, "-b%04d ", i);
    p += sprintf(p, "-a -b -c -d -e");
    CHECK_OK(tu_write(w, "t", 50, script));
    CHECK_OK(lt_cursor_reset(cur)); /* a fresh snapshot, as a plain table needs */
    CHECK_RC(lt_cursor_next(cur), WT_NOTFOUND);
    CHECK_RC(lt_cursor_prev(cur), WT_NOTFOUND);
    lt_cursor_set_key(cur, "c");
    CHECK_RC(lt_cursor_search(cur), WT_NOTFOUND);
    CHECK_OK(lt_cursor_close(cur));
    CHECK_SCAN(s, "t", "");
    CHECK_OK(tu_close(c));
}

/*
 * A cursor opened on a follower's own table before the table had any stable constituent; the
 * leader then creates the table and writes the same rows (replication), publishes, the follower
 * picks up and collects its ingest. The positioned cursor keeps its view (GC keeps the ingest it
 * reads); once unpositioned it sees the stable rows.
 */
static void
test_cursor_before_stable_exists(void)
{
    lt_cluster *c = tu_open(2);
    lt_session *s0, *s1;
    lt_cursor *cur;
    uint64_t id;

    REQUIRE(c != NULL);
    REQUIRE((s0 = tu_session(c, 0)) != NULL);
    REQUIRE((s1 = tu_session(c, 1)) != NULL);
    REQUIRE_OK(lt_create(s0, "other"));
    REQUIRE((id = tu_checkpoint(c, 0, 20)) != 0);
    REQUIRE_OK(lt_pickup(c, 1, id));
    REQUIRE_OK(lt_create(s1, "t")); /* follower only: no stable constituent */
    CHECK_OK(tu_write(s1, "t", 30, "b=1 d=2"));
    REQUIRE_OK(lt_cursor_open(s1, "t", NULL, &cur));
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "b");

    REQUIRE_OK(lt_create(s0, "t"));
    CHECK_OK(tu_write(s0, "t", 30, "b=1 d=2"));
    CHECK_OK(tu_write(s0, "t", 35, "a=0 c=1 e=3"));
    REQUIRE((id = tu_checkpoint(c, 0, 40)) != 0);
    CHECK_OK(lt_pickup(c, 1, id));
    CHECK_OK(lt_gc(c, 1, NULL));
    /* Positioned: its view (the old checkpoint and the ingest, which GC kept) until the end. */
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "d");
    CHECK_RC(lt_cursor_next(cur), WT_NOTFOUND);
    /* Unpositioned: the new checkpoint. */
    CHECK_CUR_KEY(lt_cursor_prev(cur), cur, "e");
    CHECK_CUR_KEY(lt_cursor_prev(cur), cur, "d");
    CHECK_CUR_KEY(lt_cursor_prev(cur), cur, "c");
    CHECK_CUR_KEY(lt_cursor_prev(cur), cur, "b");
    CHECK_CUR_KEY(lt_cursor_prev(cur), cur, "a");
    CHECK_OK(lt_cursor_close(cur));
    CHECK_OK(lt_gc(c, 1, NULL));
    CHECK_SCAN(s1, "t", "a=0 b=1 c=1 d=2 e=3");
    CHECK_OK(tu_close(c));
}

/*
 * Step-up drains a table whose WiredTiger handles the sweep server has closed (idle): the
 * follower's writes are in stable afterwards (docs/CONTRACT.md#class-4).
 */
static void
test_drain_after_idle_handle_close(void)
{
    lt_cluster_config cfg;
    lt_cluster *c;
    lt_session *s1, *s2;
    uint64_t id;

    tu_config(&cfg, 3);
    cfg.wt_config = "file_manager=(close_idle_time=1,close_scan_interval=1,close_handle_minimum=0)";
    REQUIRE((c = tu_open_cfg(&cfg)) != NULL);
    REQUIRE(tu_setup_table(c, "t", 10, "a=1", 20) != 0);
    REQUIRE((s1 = tu_session(c, 1)) != NULL);
    CHECK_OK(tu_write(s1, "t", 30, "b=2 -a"));
    CHECK_OK(lt_session_close(s1));
    lr_sleep_ms(2500); /* the sweep server closes the idle handles */
    REQUIRE_OK(lt_step_down(c, 0));
    REQUIRE_OK(lt_step_up(c, 1));
    REQUIRE((id = tu_checkpoint(c, 1, 40)) != 0);
    CHECK_OK(lt_pickup(c, 2, id));
    REQUIRE((s2 = tu_session(c, 2)) != NULL);
    CHECK_SCAN(s2, "t", "b=2");
    REQUIRE((s1 = tu_session(c, 1)) != NULL);
    CHECK_SCAN(s1, "t", "b=2");
    CHECK_GET(s1, "t", "b", "2");
    CHECK_OK(tu_close(c));
}

int
main(void)
{
    TU_RUN(test_cursor_across_stepup);
    TU_RUN(test_cursor_across_stepdown);
    TU_RUN(test_cursor_bulk_growth_and_removal);
    TU_RUN(test_cursor_before_stable_exists);
    TU_RUN(test_drain_after_idle_handle_close);
    return tu_finish();
}
