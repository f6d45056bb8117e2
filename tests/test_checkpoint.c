/*
 * test_checkpoint.c -- published checkpoints and pickup (docs/CONTRACT.md#cursor and #checkpoints):
 * a cursor in a snapshot transaction keeps reading its checkpoint after a pickup (repeatable read);
 * a cursor outside a transaction moves to the new checkpoint at its next operation, re-positioned
 * on its key, without a spurious WT_NOTFOUND; pickup never goes backwards; only a leader publishes;
 * the WiredTiger checkpoints of dropped records go, unless a cursor holds them open.
 */
#include "util.h"

/*
 * Stable a b c d (checkpoint id1 at 20), node 1 on id1. The leader then removes c and b, adds bb
 * and e (ts 30), checkpoint id2 at 40.
 */
static lt_cluster *
setup(uint64_t *id2p)
{
    lt_cluster *c = tu_open(2);
    lt_session *s0;

    if (c == NULL || tu_setup_table(c, "t", 10, "a=1 b=2 c=3 d=4", 20) == 0)
        return NULL;
    if ((s0 = tu_session(c, 0)) == NULL || !CHECK_OK(tu_write(s0, "t", 30, "-c -b bb=22 e=5")))
        return NULL;
    lt_session_close(s0);
    if ((*id2p = tu_checkpoint(c, 0, 40)) == 0)
        return NULL;
    return c;
}

/* Inside a snapshot transaction the cursor keeps its checkpoint: repeatable read. */
static void
test_advance_in_snapshot_txn(void)
{
    lt_cluster *c;
    lt_session *s;
    lt_cursor *cur;
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, 0};
    uint64_t id2;

    REQUIRE((c = setup(&id2)) != NULL);
    REQUIRE((s = tu_session(c, 1)) != NULL);
    REQUIRE_OK(lt_txn_begin(s, &tc));
    REQUIRE_OK(lt_cursor_open(s, "t", NULL, &cur));
    lt_cursor_set_key(cur, "b");
    CHECK_CUR_KEY(lt_cursor_search(cur), cur, "b");
    CHECK_OK(lt_pickup(c, 1, id2));
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "c");
    CHECK_CUR_VAL(cur, "3");
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "d");
    CHECK_RC(lt_cursor_next(cur), WT_NOTFOUND);
    lt_cursor_set_key(cur, "bb");
    CHECK_RC(lt_cursor_search(cur), WT_NOTFOUND);
    CHECK_OK(lt_cursor_close(cur));
    /* A new cursor in the same transaction reads the same snapshot. */
    CHECK_SCAN(s, "t", "a=1 b=2 c=3 d=4");
    CHECK_GET(s, "t", "c", "3");
    CHECK_OK(lt_txn_commit(s, 0));
    /* After the transaction: the picked-up checkpoint. */
    CHECK_SCAN(s, "t", "a=1 bb=22 d=4 e=5");
    CHECK_OK(tu_close(c));
}

/*
 * Outside a transaction a positioned cursor keeps reading the checkpoint it was positioned in
 * until it is reset or unpositioned (upstream's layered cursor); then it reads the newer one.
 */
static void
test_advance_outside_txn(void)
{
    lt_cluster *c;
    lt_session *s;
    lt_cursor *cb, *cc, *cd, *cp;
    uint64_t id2;

    REQUIRE((c = setup(&id2)) != NULL);
    REQUIRE((s = tu_session(c, 1)) != NULL);
    REQUIRE_OK(lt_cursor_open(s, "t", NULL, &cb));
    REQUIRE_OK(lt_cursor_open(s, "t", NULL, &cc));
    REQUIRE_OK(lt_cursor_open(s, "t", NULL, &cd));
    REQUIRE_OK(lt_cursor_open(s, "t", NULL, &cp));
    lt_cursor_set_key(cb, "b"); /* removed by the new checkpoint */
    CHECK_CUR_KEY(lt_cursor_search(cb), cb, "b");
    lt_cursor_set_key(cc, "a"); /* still there */
    CHECK_CUR_KEY(lt_cursor_search(cc), cc, "a");
    lt_cursor_set_key(cd, "d"); /* the last key; e comes after it in the new checkpoint */
    CHECK_CUR_KEY(lt_cursor_search(cd), cd, "d");
    lt_cursor_set_key(cp, "d"); /* prev from d: c is removed, bb is new */
    CHECK_CUR_KEY(lt_cursor_search(cp), cp, "d");

    CHECK_OK(lt_pickup(c, 1, id2));
    CHECK_CUR_KEY(lt_cursor_next(cb), cb, "c");
    CHECK_CUR_VAL(cb, "3");
    CHECK_CUR_KEY(lt_cursor_next(cb), cb, "d");
    CHECK_CUR_KEY(lt_cursor_next(cc), cc, "b");
    CHECK_RC(lt_cursor_next(cd), WT_NOTFOUND);  /* the old view ends at d */
    CHECK_CUR_KEY(lt_cursor_next(cd), cd, "a"); /* unpositioned: the new view */
    CHECK_CUR_KEY(lt_cursor_next(cd), cd, "bb");
    CHECK_CUR_KEY(lt_cursor_prev(cp), cp, "c");
    CHECK_CUR_KEY(lt_cursor_prev(cp), cp, "b");
    CHECK_OK(lt_cursor_reset(cp));
    CHECK_CUR_KEY(lt_cursor_prev(cp), cp, "e");
    CHECK_CUR_KEY(lt_cursor_prev(cp), cp, "d");
    CHECK_CUR_KEY(lt_cursor_prev(cp), cp, "bb");
    CHECK_OK(lt_cursor_close(cb));
    CHECK_OK(lt_cursor_close(cc));
    CHECK_OK(lt_cursor_close(cd));
    CHECK_OK(lt_cursor_close(cp));
    CHECK_OK(tu_close(c));
}

/*
 * The same with follower ingest rows around the cursor: the cursor sits on an ingest row and
 * keeps its view across the pickup and a GC (which keeps what the view reads); no row is lost or
 * repeated; after a reset it reads the new checkpoint.
 */
static void
test_advance_with_ingest(void)
{
    lt_cluster *c;
    lt_session *s;
    lt_cursor *cur;
    uint64_t id2;

    REQUIRE((c = setup(&id2)) != NULL);
    REQUIRE((s = tu_session(c, 1)) != NULL);
    /* Ingest above the new checkpoint's timestamp, so it still counts after the pickup. */
    CHECK_OK(tu_write(s, "t", 50, "bx=i cx=i"));
    REQUIRE_OK(lt_cursor_open(s, "t", NULL, &cur));
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "a");
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "b");
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "bx");
    CHECK_OK(lt_pickup(c, 1, id2));
    CHECK_OK(lt_gc(c, 1, NULL));
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "c");
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "cx");
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "d");
    CHECK_RC(lt_cursor_next(cur), WT_NOTFOUND);
    CHECK_OK(lt_cursor_close(cur));
    CHECK_SCAN(s, "t", "a=1 bb=22 bx=i cx=i d=4 e=5");
    CHECK_OK(tu_close(c));
}

/* Pickup: never backwards, only known ids, only on followers; checkpoints only on the leader. */
static void
test_pickup_rules(void)
{
    lt_cluster *c;
    lt_node_info info;
    uint64_t id1, id2, nid = 0, nts = 0, bogus = 0;

    REQUIRE((c = setup(&id2)) != NULL);
    REQUIRE_OK(lt_node_get_info(c, 1, &info));
    id1 = info.checkpoint_id;
    CHECK_LT(id1, id2);
    CHECK_OK(lt_checkpoint_newest(c, &nid, &nts));
    CHECK_EQ(nid, id2);
    CHECK_EQ(nts, 40);
    CHECK_OK(lt_pickup(c, 1, id2));
    CHECK_RC(lt_pickup(c, 1, id1), EINVAL);
    REQUIRE_OK(lt_node_get_info(c, 1, &info));
    CHECK_EQ(info.checkpoint_id, id2);
    CHECK_EQ(info.checkpoint_ts, 40);
    CHECK_ERR(lt_pickup(c, 1, id2 + 100));             /* no such checkpoint */
    CHECK_ERR(lt_pickup(c, 0, id2));                   /* the leader does not pick up */
    CHECK_RC(lt_checkpoint(c, 1, 50, &bogus), EINVAL); /* a follower does not publish */
    CHECK_OK(lt_checkpoint_newest(c, &nid, &nts));
    CHECK_EQ(nid, id2);
    /* A checkpoint at a timestamp below the last one is refused or at least not backwards. */
    if (lt_checkpoint(c, 0, 30, &bogus) == 0)
        CHECK_GT(bogus, id2);
    CHECK_OK(tu_close(c));
}

/*
 * lt_node_background_round: a follower's round and a round with nothing new do nothing (EAGAIN);
 * the leader's publishes at the timestamp asked for, below the newest commit, then again at the
 * newest commit (0); a bad node is EINVAL.
 */
static void
test_background_round(void)
{
    lt_cluster *c;
    lt_session *s0, *s1;
    uint64_t id2, id3 = 0, id4 = 0, nid = 0, nts = 0;

    REQUIRE((c = setup(&id2)) != NULL);
    CHECK_RC(lt_node_background_round(c, 1, 0, NULL), EAGAIN); /* a follower's */
    CHECK_RC(lt_node_background_round(c, 0, 0, NULL), EAGAIN); /* nothing newer than 40 */
    CHECK_RC(lt_node_background_round(c, 2, 0, NULL), EINVAL);
    CHECK_RC(lt_node_background_round(NULL, 0, 0, NULL), EINVAL);
    REQUIRE((s0 = tu_session(c, 0)) != NULL);
    CHECK_OK(tu_write(s0, "t", 50, "f=6"));
    CHECK_OK(tu_write(s0, "t", 60, "g=7"));
    lt_session_close(s0);
    CHECK_OK(lt_node_background_round(c, 0, 55, &id3));
    CHECK_GT(id3, id2);
    CHECK_OK(lt_checkpoint_newest(c, &nid, &nts));
    CHECK_EQ(nid, id3);
    CHECK_EQ(nts, 55);
    CHECK_OK(lt_node_background_round(c, 0, 0, &id4));
    CHECK_OK(lt_checkpoint_newest(c, &nid, &nts));
    CHECK_EQ(nid, id4);
    CHECK_EQ(nts, 60);
    CHECK_RC(lt_node_background_round(c, 0, 0, NULL), EAGAIN);
    CHECK_OK(lt_pickup(c, 1, 0));
    REQUIRE((s1 = tu_session(c, 1)) != NULL);
    CHECK_SCAN(s1, "t", "a=1 bb=22 d=4 e=5 f=6 g=7");
    lt_session_close(s1);
    CHECK_OK(tu_close(c));
}

/* Writes at or below the node's checkpoint timestamp are refused with EINVAL. */
static void
test_write_at_or_below_checkpoint_ts(void)
{
    lt_cluster *c;
    lt_session *s[2];
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, 0};
    uint64_t id2, bad[] = {15, 40};
    int rc;

    REQUIRE((c = setup(&id2)) != NULL);
    CHECK_OK(lt_pickup(c, 1, id2));
    REQUIRE((s[0] = tu_session(c, 0)) != NULL);
    REQUIRE((s[1] = tu_session(c, 1)) != NULL);
    for (int n = 0; n < 2; n++)
        for (int b = 0; b < 2; b++) {
            tc.commit_ts = bad[b];
            rc = lt_txn_begin(s[n], &tc);
            if (rc == 0) {
                rc = tu_write_in(s[n], "t", "q=bad");
                lt_txn_rollback(s[n]);
            }
            if (!CHECK_RC(rc, EINVAL))
                tu_note("node %d, commit ts %" PRIu64 " (checkpoint ts 40)", n, bad[b]);
            /* the same via lt_txn_set_commit_ts */
            tc.commit_ts = 0;
            REQUIRE_OK(lt_txn_begin(s[n], &tc));
            rc = lt_txn_set_commit_ts(s[n], bad[b]);
            if (rc == 0)
                rc = tu_write_in(s[n], "t", "q=bad");
            lt_txn_rollback(s[n]);
            CHECK_RC(rc, EINVAL);
        }
    /* Just above is fine. */
    CHECK_OK(tu_write(s[0], "t", 41, "q=0"));
    CHECK_OK(tu_write(s[1], "t", 42, "q=1"));
    CHECK_GET(s[0], "t", "q", "0");
    CHECK_GET(s[1], "t", "q", "1");
    CHECK_OK(tu_close(c));
}

/*
 * The named WiredTiger checkpoints of table t's stable file (-1 if none is found); *hasp: whether
 * checkpoint `name` is among them; urip (may be NULL): the stable table's URI.
 */
static int
stable_ckpts(lt_cluster *c, const char *name, bool *hasp, char *urip, size_t len)
{
    WT_CONNECTION *conn = lt_cluster_connection(c);
    WT_SESSION *s;
    WT_CURSOR *m;
    const char *k, *v, *p;
    char pat[64];
    int n = -1;

    *hasp = false;
    if (conn == NULL || conn->open_session(conn, NULL, NULL, &s) != 0)
        return -1;
    if (s->open_cursor(s, "metadata:", NULL, NULL, &m) != 0) {
        (void)s->close(s, NULL);
        return -1;
    }
    (void)snprintf(pat, sizeof(pat), "%s=(", name);
    while (m->next(m) == 0 && m->get_key(m, &k) == 0 && m->get_value(m, &v) == 0) {
        if (urip != NULL && strncmp(k, "table:layered.t.s", 17) == 0)
            (void)snprintf(urip, len, "%s", k);
        if (strncmp(k, "file:layered.t.s", 16) != 0)
            continue;
        for (n = 0, p = v; (p = strstr(p, "=(addr=")) != NULL; p++)
            n++;
        *hasp = strstr(v, pat) != NULL;
    }
    (void)s->close(s, NULL);
    return n;
}

/*
 * A checkpoint record goes once no reader can choose it; its WiredTiger checkpoint is dropped by
 * the next checkpoint of the table, and only when no cursor has it open (a refused drop waits, the
 * checkpoint itself goes ahead).
 */
static void
test_wt_checkpoints_dropped(void)
{
    lt_cluster *c = tu_open(2);
    lt_session *s0;
    lt_node_info info;
    WT_CONNECTION *conn;
    WT_SESSION *raw;
    WT_CURSOR *rc;
    uint64_t id, ts;
    char uri[128] = "", name[64], cfg[96];
    bool has;
    int i, n;

    REQUIRE(c != NULL);
    REQUIRE(tu_setup_table(c, "t", 10, "a=1", 20) != 0);
    REQUIRE((s0 = tu_session(c, 0)) != NULL);
    for (i = 0, ts = 30; i < 10; i++, ts += 10) {
        CHECK_OK(tu_write(s0, "t", ts, "b=2"));
        REQUIRE((id = tu_checkpoint(c, 0, ts + 5)) != 0);
        CHECK_OK(lt_pickup(c, 1, id));
    }
    n = stable_ckpts(c, "", &has, uri, sizeof(uri));
    CHECK_GE(n, 1);
    CHECK_LE(n, 3); /* the nodes' views and one queued for the next checkpoint */
    REQUIRE(uri[0] != '\0');

    /* The follower's checkpoint, held open by a plain WiredTiger cursor. */
    REQUIRE_OK(lt_node_get_info(c, 1, &info));
    (void)snprintf(name, sizeof(name), "layered.%" PRIu64, info.checkpoint_id);
    (void)snprintf(cfg, sizeof(cfg), "checkpoint=%s", name);
    REQUIRE((conn = lt_cluster_connection(c)) != NULL);
    REQUIRE_OK(conn->open_session(conn, NULL, NULL, &raw));
    REQUIRE_OK(raw->open_cursor(raw, uri, NULL, cfg, &rc));
    for (i = 0; i < 3; i++, ts += 10) { /* the record goes; the drop is refused, not the rest */
        CHECK_OK(tu_write(s0, "t", ts, "c=3"));
        REQUIRE((id = tu_checkpoint(c, 0, ts + 5)) != 0);
        CHECK_OK(lt_pickup(c, 1, id));
    }
    (void)stable_ckpts(c, name, &has, NULL, 0);
    CHECK(has);
    CHECK_OK(rc->close(rc));
    CHECK_OK(raw->close(raw, NULL));
    REQUIRE((id = tu_checkpoint(c, 0, ts + 5)) != 0);
    n = stable_ckpts(c, name, &has, NULL, 0);
    CHECK_GE(n, 1);
    CHECK_LE(n, 3);
    CHECK(!has);
    CHECK_OK(lt_pickup(c, 1, id));
    CHECK_SCAN(s0, "t", "a=1 b=2 c=3");
    CHECK_OK(tu_close(c));
}

int
main(void)
{
    TU_RUN(test_advance_in_snapshot_txn);
    TU_RUN(test_advance_outside_txn);
    TU_RUN(test_advance_with_ingest);
    TU_RUN(test_pickup_rules);
    TU_RUN(test_background_round);
    TU_RUN(test_write_at_or_below_checkpoint_ts);
    TU_RUN(test_wt_checkpoints_dropped);
    return tu_finish();
}
