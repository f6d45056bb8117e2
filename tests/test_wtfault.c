/*
 * test_wtfault.c -- injected WiredTiger errors (lt_cluster_config.wt_faults): each failed call
 * comes back to the caller as its code, is no environment failure, and leaves the cluster
 * consistent: a failed create leaves no half table, a failed drain leaves the node a follower
 * with its ingest, a failed checkpoint publishes nothing, a failed WiredTiger drop is retried,
 * and a panic makes the cluster refuse all work.
 */
#include "util.h"

/* A cluster whose nodes' catalogues hold table t, node 0 leading, with injection spec. */
static lt_cluster *
open_faulty(int nodes, const char *spec, unsigned faults)
{
    lt_cluster_config cfg;

    tu_config(&cfg, nodes);
    cfg.wt_faults = spec;
    cfg.faults = faults;
    return tu_open_cfg(&cfg);
}

/* How many WiredTiger objects of layered table name the metadata lists. */
static int
wt_objects(lt_cluster *c, const char *name)
{
    WT_CONNECTION *conn = lt_cluster_connection(c);
    WT_SESSION *wt;
    WT_CURSOR *mc;
    const char *k;
    char prefix[96];
    int n = 0;

    (void)snprintf(prefix, sizeof(prefix), "table:layered.%s.", name);
    if (conn->open_session(conn, NULL, NULL, &wt) != 0)
        return (-1);
    if (wt->open_cursor(wt, "metadata:", NULL, NULL, &mc) == 0) {
        while (mc->next(mc) == 0 && mc->get_key(mc, &k) == 0)
            n += strncmp(k, prefix, strlen(prefix)) == 0;
        (void)mc->close(mc);
    }
    (void)wt->close(wt, NULL);
    return (n);
}

/* A failed WiredTiger create (either constituent) leaves no table and no object behind. */
static void
test_failed_create_leaves_nothing(void)
{
    static const char *const specs[] = {"create.ingest@1=enospc", "create.stable@1=eio"};
    static const int codes[] = {ENOSPC, EIO};
    lt_cluster *c;
    lt_session *s;
    lt_wtfault_stats ws;
    size_t i;

    for (i = 0; i < 2; i++) {
        lt_env_reset();
        REQUIRE((c = open_faulty(2, specs[i], 0)) != NULL);
        REQUIRE((s = tu_session(c, 0)) != NULL);
        CHECK_RC(lt_create(s, "t"), codes[i]);
        CHECK_EQ(lt_wtfault_last(), codes[i]);
        CHECK(strstr(lt_last_error(), "table t") != NULL);
        CHECK_EQ(lt_env_failure(NULL, 0), 0); /* injected: no environment failure */
        CHECK_EQ(tu_exists(s, "t"), 0);
        CHECK_OK(lt_checkpoint(c, 0, 5, NULL)); /* its maintenance drops what was queued */
        CHECK_EQ(wt_objects(c, "t"), 0);
        CHECK_OK(lt_wtfault_get_stats(c, &ws));
        CHECK_EQ(ws.injected[i == 0 ? LT_WTF_ENOSPC : LT_WTF_EIO], 1);
        /* The name can be created again; both sides agree. */
        CHECK_OK(lt_create(s, "t"));
        CHECK_EQ(lt_wtfault_last(), 0);
        CHECK_EQ(tu_exists(s, "t"), 1);
        CHECK_EQ(wt_objects(c, "t"), 2); /* stable and the leader's ingest */
        CHECK_OK(tu_write(s, "t", 10, "a=1"));
        CHECK_GET(s, "t", "a", "1");
        CHECK_OK(tu_close(c));
    }
}

/* A failed drain: the node is a follower again with its ingest; a later step-up has it all. */
static void
test_failed_drain_stays_follower(void)
{
    lt_cluster *c;
    lt_session *s0, *s1;
    lt_node_info info;

    REQUIRE((c = open_faulty(2, "drain.insert@3=eio", 0)) != NULL);
    REQUIRE((s0 = tu_session(c, 0)) != NULL);
    REQUIRE((s1 = tu_session(c, 1)) != NULL);
    REQUIRE_OK(lt_create(s0, "t"));
    REQUIRE_OK(lt_create(s1, "t"));
    CHECK_OK(tu_write(s0, "t", 10, "a=1 b=2"));
    CHECK_OK(tu_write(s1, "t", 10, "a=1 b=2"));
    CHECK_OK(tu_write(s1, "t", 20, "c=3 d=4 e=5"));
    CHECK_OK(lt_step_down(c, 0));
    CHECK_RC(lt_step_up(c, 1), EIO);
    CHECK_EQ(lt_wtfault_last(), EIO);
    CHECK_OK(lt_node_get_info(c, 1, &info));
    CHECK_EQ((int)info.role, (int)LT_FOLLOWER);
    CHECK_EQ(lt_cluster_leader(c), -1);
    CHECK_GET(s1, "t", "e", "5"); /* its ingest still answers */
    CHECK_OK(lt_step_up(c, 1));
    CHECK_OK(lt_node_get_info(c, 1, &info));
    CHECK_EQ((int)info.role, (int)LT_LEADER);
    CHECK_GET(s1, "t", "a", "1");
    CHECK_GET(s1, "t", "b", "2");
    CHECK_GET(s1, "t", "c", "3");
    CHECK_GET(s1, "t", "d", "4");
    CHECK_GET(s1, "t", "e", "5");
    CHECK_OK(tu_close(c));
}

/* A failed checkpoint publishes nothing: a follower's pickup keeps the previous one. */
static void
test_failed_checkpoint_publishes_nothing(void)
{
    lt_cluster *c;
    lt_session *s0, *s1;
    lt_node_info info;
    uint64_t id1, id, ts;

    REQUIRE((c = open_faulty(2, "checkpoint.wt@2=eio", 0)) != NULL);
    REQUIRE((s0 = tu_session(c, 0)) != NULL);
    REQUIRE((s1 = tu_session(c, 1)) != NULL);
    REQUIRE_OK(lt_create(s0, "t"));
    REQUIRE_OK(lt_create(s1, "t"));
    CHECK_OK(tu_write(s0, "t", 10, "a=old"));
    CHECK_OK(lt_checkpoint(c, 0, 10, &id1));
    CHECK_OK(tu_write(s0, "t", 20, "a=new"));
    CHECK_RC(lt_checkpoint(c, 0, 20, &id), EIO);
    CHECK_OK(lt_checkpoint_newest(c, &id, &ts));
    CHECK_EQ(id, id1);
    CHECK_EQ(ts, 10);
    CHECK_OK(lt_pickup(c, 1, 0));
    CHECK_OK(lt_node_get_info(c, 1, &info));
    CHECK_EQ(info.checkpoint_id, id1);
    CHECK_GET(s1, "t", "a", "old");
    /* The next checkpoint goes through and the follower sees it. */
    CHECK_OK(lt_checkpoint(c, 0, 20, &id));
    CHECK_GT(id, id1);
    CHECK_OK(lt_pickup(c, 1, 0));
    CHECK_GET(s1, "t", "a", "new");
    CHECK_OK(tu_close(c));
}

/*
 * The drop's effect is one step in the catalogue; a WiredTiger drop that fails after it is
 * queued and retried: the table is gone, the name free, and its object dropped later.
 */
static void
test_failed_wt_drop_is_retried(void)
{
    lt_cluster *c;
    lt_session *s;
    uint64_t id;

    REQUIRE((c = open_faulty(1, "drop.wt@1=eio", 0)) != NULL);
    REQUIRE((s = tu_session(c, 0)) != NULL);
    REQUIRE_OK(lt_create(s, "t"));
    CHECK_OK(tu_write(s, "t", 10, "a=1"));
    CHECK_OK(lt_drop(s, "t"));
    CHECK_EQ(lt_wtfault_last(), EIO);
    CHECK_EQ(lt_env_failure(NULL, 0), 0);
    CHECK_EQ(tu_exists(s, "t"), 0);
    CHECK_OK(lt_create(s, "t"));
    CHECK_GET(s, "t", "a", NULL);
    CHECK_OK(tu_write(s, "t", 20, "b=2"));
    CHECK_OK(lt_checkpoint(c, 0, 20, &id)); /* retries the queued drop */
    CHECK_EQ(wt_objects(c, "t"), 2);        /* the new incarnation's only */
    CHECK_GET(s, "t", "b", "2");
    CHECK_OK(tu_close(c));
}

/* After an injected panic every call that works fails with WT_PANIC and says why. */
static void
test_panic_refuses_work(void)
{
    lt_cluster *c;
    lt_session *s;
    lt_cursor *cur = NULL;
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, 30};
    lt_wtfault_stats ws;
    uint64_t id;

    REQUIRE((c = open_faulty(2, "create.ingest@2=panic", 0)) != NULL);
    REQUIRE((s = tu_session(c, 0)) != NULL);
    REQUIRE_OK(lt_create(s, "t"));
    CHECK_OK(tu_write(s, "t", 10, "a=1"));
    REQUIRE_OK(lt_cursor_open(s, "t", NULL, &cur));
    CHECK_RC(lt_create(s, "u"), WT_PANIC);
    CHECK_RC(lt_create(s, "v"), WT_PANIC);
    CHECK(strstr(lt_last_error(), "panicked") != NULL);
    CHECK_RC(lt_drop(s, "t"), WT_PANIC);
    CHECK_RC(lt_txn_begin(s, &tc), WT_PANIC);
    lt_cursor_set_key(cur, "a");
    CHECK_RC(lt_cursor_search(cur), WT_PANIC);
    CHECK_RC(lt_checkpoint(c, 0, 10, &id), WT_PANIC);
    CHECK_RC(lt_step_down(c, 0), WT_PANIC);
    CHECK_RC(lt_step_up(c, 1), WT_PANIC);
    CHECK_RC(lt_pickup(c, 1, 0), WT_PANIC);
    CHECK_RC(lt_gc(c, 1, NULL), WT_PANIC);
    CHECK_OK(lt_wtfault_get_stats(c, &ws));
    CHECK_EQ(ws.panicked, 1);
    CHECK_EQ(ws.injected[LT_WTF_PANIC], 1);
    CHECK_EQ(lt_env_failure(NULL, 0), 0);
    CHECK_OK(lt_cursor_close(cur));
    CHECK_OK(tu_close(c)); /* closing still works */
}

/* One write in its own transaction; a failure must be an injected one. */
static bool
write_once(lt_session *s, uint64_t ts, const char *script)
{
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, ts};
    uint64_t before = lt_wtfault_thread_count();

    if (lt_txn_begin(s, &tc) == 0 && tu_write_in(s, "t", script) == 0 && lt_txn_commit(s, 0) == 0)
        return (true);
    CHECK_GT(lt_wtfault_thread_count(), before); /* only what was injected fails */
    if (lt_txn_active(s))
        (void)lt_txn_rollback(s);
    return (false);
}

/* Seeded random injection: the same seed injects the same faults; nothing committed is lost. */
static uint64_t
random_run(const char *spec, uint64_t *committedp)
{
    lt_cluster *c;
    lt_session *s;
    lt_wtfault_stats ws;
    char script[64], key[16];
    bool committed[200];
    uint64_t total = 0;
    int i, k;

    lt_env_reset();
    if ((c = open_faulty(1, spec, 0)) == NULL || (s = tu_session(c, 0)) == NULL)
        return (0);
    while (lt_create(s, "t") != 0)
        CHECK_NE(lt_wtfault_last(), 0);
    *committedp = 0;
    for (i = 0; i < 200; i++) {
        (void)snprintf(script, sizeof(script), "k%03d=v%d", i, i);
        committed[i] = write_once(s, (uint64_t)(100 + i), script);
        *committedp += committed[i];
    }
    CHECK_OK(lt_wtfault_pause(c, 1));
    for (i = 0; i < 200; i++) {
        (void)snprintf(key, sizeof(key), "k%03d", i);
        (void)snprintf(script, sizeof(script), "v%d", i);
        CHECK_GET(s, "t", key, committed[i] ? script : NULL);
    }
    CHECK_OK(lt_wtfault_get_stats(c, &ws));
    for (k = 0; k < LT_WTF_KINDS; k++)
        total += ws.injected[k];
    CHECK_EQ(ws.injected[LT_WTF_PANIC], 0);
    CHECK_EQ(lt_env_failure(NULL, 0), 0);
    CHECK_OK(tu_close(c));
    return (total);
}

static void
test_seeded_random_injection(void)
{
    uint64_t a, b, ca = 0, cb = 0;

    a = random_run("seed=5,rate=0.05", &ca);
    b = random_run("seed=5,rate=0.05", &cb);
    CHECK_GT(a, 0);
    CHECK_EQ(a, b);
    CHECK_EQ(ca, cb);
    CHECK_LT(ca, 200); /* some writes failed */
    CHECK_RC(lt_wtfault_check("rate=2", NULL, 0), EINVAL);
    CHECK(strstr(lt_last_error(), "rate") != NULL);
    CHECK_RC(lt_wtfault_check("x@0=eio", NULL, 0), EINVAL);
    CHECK_RC(lt_wtfault_check("kinds=eio+bogus", NULL, 0), EINVAL);
    CHECK_OK(
      lt_wtfault_check("seed=1,rate=0.5,kinds=eio+panic,sites=drain.,x.y@3=rollback", NULL, 0));
    /* What a spec can inject: random kinds only at a rate above 0, and every SITE@N kind. */
    CHECK_EQ(lt_wtfault_spec_has("rate=0.5,kinds=eio+panic", LT_WTF_PANIC), 1);
    CHECK_EQ(lt_wtfault_spec_has("rate=0,kinds=eio+panic", LT_WTF_PANIC), 0);
    CHECK_EQ(lt_wtfault_spec_has("rate=0.5", LT_WTF_PANIC), 0);
    CHECK_EQ(lt_wtfault_spec_has("rate=0.5", LT_WTF_EBUSY), 1);
    CHECK_EQ(lt_wtfault_spec_has("panic.site@2=eio", LT_WTF_PANIC), 0);
    CHECK_EQ(lt_wtfault_spec_has("x.y@3=panic", LT_WTF_PANIC), 1);
    CHECK_EQ(lt_wtfault_spec_has("x@0=eio", LT_WTF_EIO), -1);
    CHECK_EQ(lt_wtfault_spec_has(NULL, LT_WTF_EIO), 0);
}

/* The test-only defect: a checkpoint WiredTiger refused is published all the same. */
static void
test_fault_publishes_failed_checkpoint(void)
{
    lt_cluster *c;
    lt_session *s0;
    uint64_t id, ts;

    REQUIRE((c = open_faulty(2, "checkpoint.wt@1=eio", LT_FAULT_WTF_IGNORED)) != NULL);
    REQUIRE((s0 = tu_session(c, 0)) != NULL);
    REQUIRE_OK(lt_create(s0, "t"));
    CHECK_OK(tu_write(s0, "t", 10, "a=1"));
    CHECK_OK(lt_checkpoint(c, 0, 10, &id)); /* the defect: success */
    CHECK_OK(lt_checkpoint_newest(c, &id, &ts));
    CHECK_EQ(ts, 10); /* published, with no WiredTiger checkpoint behind it */
    CHECK_OK(tu_close(c));
}

int
main(void)
{
    TU_RUN(test_failed_create_leaves_nothing);
    TU_RUN(test_failed_drain_stays_follower);
    TU_RUN(test_failed_checkpoint_publishes_nothing);
    TU_RUN(test_failed_wt_drop_is_retried);
    TU_RUN(test_panic_refuses_work);
    TU_RUN(test_seeded_random_injection);
    TU_RUN(test_fault_publishes_failed_checkpoint);
    return tu_finish();
}
