/*
 * test_txn.c -- transactions on layered tables behave as on a plain WiredTiger table
 * (docs/CONTRACT.md#reads-writes): prepared conflicts pass through, isolation levels, and the
 * commit timestamp rules (a write without a commit timestamp, or outside a transaction, is EINVAL).
 */
#include "util.h"

static int
begin(lt_session *s, lt_isolation iso, uint64_t read_ts, uint64_t commit_ts)
{
    lt_txn_config tc = {iso, read_ts, commit_ts};
    return lt_txn_begin(s, &tc);
}

/*
 * Session A prepares a write of k (which has an older committed value: in stable on both nodes,
 * and also in the follower's ingest for m); session B's read of it is WT_PREPARE_CONFLICT, at no
 * read timestamp and at one at or above the prepare timestamp; below it, the old value. After
 * A commits, B reads the new value.
 */
static void
test_prepare_conflict(void)
{
    lt_cluster *c = tu_open(2);
    lt_session *a, *b;
    lt_cursor *cur;
    char *v = NULL;

    REQUIRE(c != NULL);
    REQUIRE(tu_setup_table(c, "t", 10, "j=old k=old", 20) != 0);
    for (int n = 0; n < 2; n++) {
        uint64_t pts = n == 0 ? 30 : 40;
        REQUIRE((a = tu_session(c, n)) != NULL);
        REQUIRE((b = tu_session(c, n)) != NULL);
        if (n == 1)
            CHECK_OK(tu_write(a, "t", 35, "m=old"));
        REQUIRE_OK(begin(a, LT_ISO_SNAPSHOT, 0, pts));
        CHECK_OK(tu_write_in(a, "t", n == 1 ? "k=new m=new" : "k=new"));
        REQUIRE_OK(lt_txn_prepare(a, pts));

        CHECK_RC(tu_get(b, "t", "k", &v), WT_PREPARE_CONFLICT);
        free(v);
        if (n == 1) {
            CHECK_RC(tu_get(b, "t", "m", &v), WT_PREPARE_CONFLICT);
            free(v);
        }
        REQUIRE_OK(lt_cursor_open(b, "t", NULL, &cur));
        if (n == 0) {
            CHECK_CUR_KEY(lt_cursor_next(cur), cur, "j"); /* the quiet case: an untouched key */
            CHECK_RC(lt_cursor_next(cur), WT_PREPARE_CONFLICT);
        } else {
            /*
             * The merge must look at ingest's first entry (k, prepared) to order j, so the
             * conflict may come one step early; it must come, and no row past j is returned.
             */
            int rc = lt_cursor_next(cur);
            if (rc == 0) {
                CHECK_CUR_KEY(rc, cur, "j");
                rc = lt_cursor_next(cur);
            }
            CHECK_RC(rc, WT_PREPARE_CONFLICT);
        }
        CHECK_OK(lt_cursor_close(cur));
        REQUIRE_OK(begin(b, LT_ISO_SNAPSHOT, pts, 0));
        CHECK_RC(tu_get(b, "t", "k", &v), WT_PREPARE_CONFLICT);
        free(v);
        lt_txn_rollback(b);
        REQUIRE_OK(begin(b, LT_ISO_SNAPSHOT, pts - 1, 0));
        CHECK_GET(b, "t", "k", "old");
        lt_txn_rollback(b);
        /* Operations inside the prepared transaction are refused, as in WiredTiger. */
        CHECK_ERR(tu_write_in(a, "t", "z=1"));

        CHECK_OK(lt_txn_commit(a, 0));
        CHECK_GET(b, "t", "k", "new");
        if (n == 1)
            CHECK_GET(b, "t", "m", "new");
        CHECK_OK(lt_session_close(a));
        CHECK_OK(lt_session_close(b));
    }
    CHECK_OK(tu_close(c));
}

/* A prepared transaction that rolls back leaves the old value, and no conflict behind. */
static void
test_prepare_rollback(void)
{
    lt_cluster *c = tu_open(2);
    lt_session *a, *b;

    REQUIRE(c != NULL);
    REQUIRE(tu_setup_table(c, "t", 10, "k=old", 20) != 0);
    REQUIRE((a = tu_session(c, 1)) != NULL);
    REQUIRE((b = tu_session(c, 1)) != NULL);
    REQUIRE_OK(begin(a, LT_ISO_SNAPSHOT, 0, 30));
    CHECK_OK(tu_write_in(a, "t", "k=new"));
    REQUIRE_OK(lt_txn_prepare(a, 30));
    CHECK_OK(lt_txn_rollback(a));
    CHECK_GET(b, "t", "k", "old");
    CHECK_SCAN(b, "t", "k=old");
    CHECK_OK(tu_close(c));
}

/* Snapshot, read-committed and read-uncommitted readers, on the leader and on a follower. */
static void
test_isolation(void)
{
    lt_cluster *c = tu_open(2);
    lt_session *r, *w;
    uint64_t ts = 30;

    REQUIRE(c != NULL);
    REQUIRE(tu_setup_table(c, "t", 10, "k=v0", 20) != 0);
    for (int n = 0; n < 2; n++) {
        REQUIRE((r = tu_session(c, n)) != NULL);
        REQUIRE((w = tu_session(c, n)) != NULL);
        CHECK_OK(tu_write(w, "t", ts++, "k=v1"));

        /* snapshot: a commit after the reader's first read is invisible to it */
        REQUIRE_OK(begin(r, LT_ISO_SNAPSHOT, 0, 0));
        CHECK_GET(r, "t", "k", "v1");
        CHECK_OK(tu_write(w, "t", ts++, "k=v2 n=1"));
        CHECK_GET(r, "t", "k", "v1");
        CHECK_SCAN(r, "t", "k=v1");
        CHECK_OK(lt_txn_commit(r, 0));
        CHECK_GET(r, "t", "k", "v2");

        /* read-committed: the next read sees it */
        REQUIRE_OK(begin(r, LT_ISO_READ_COMMITTED, 0, 0));
        CHECK_GET(r, "t", "k", "v2");
        CHECK_OK(tu_write(w, "t", ts++, "k=v3"));
        CHECK_GET(r, "t", "k", "v3");
        CHECK_OK(lt_txn_commit(r, 0));

        /* read-uncommitted: sees another session's uncommitted write */
        REQUIRE_OK(begin(w, LT_ISO_SNAPSHOT, 0, ts++));
        CHECK_OK(tu_write_in(w, "t", "k=dirty -n"));
        REQUIRE_OK(begin(r, LT_ISO_READ_UNCOMMITTED, 0, 0));
        CHECK_GET(r, "t", "k", "dirty");
        CHECK_GET(r, "t", "n", NULL);
        CHECK_OK(lt_txn_commit(r, 0));
        REQUIRE_OK(begin(r, LT_ISO_SNAPSHOT, 0, 0));
        CHECK_GET(r, "t", "k", "v3"); /* the quiet case: snapshot does not */
        CHECK_GET(r, "t", "n", "1");
        CHECK_OK(lt_txn_commit(r, 0));
        CHECK_OK(lt_txn_rollback(w));
        CHECK_SCAN(r, "t", "k=v3 n=1");
        CHECK_OK(lt_session_close(r));
        CHECK_OK(lt_session_close(w));
    }
    CHECK_OK(tu_close(c));
}

/*
 * A transaction reads its own writes through a cursor positioned before them: a write and a
 * truncate in the same transaction, through other cursors, are seen at the positioned cursor's
 * next step (it does not serve the candidates it cached before the session wrote), on the
 * leader and on a follower.
 */
static void
test_own_writes_under_positioned_cursor(void)
{
    lt_cluster *c = tu_open(2);
    lt_session *s;
    lt_cursor *cur;
    uint64_t ts = 30;

    REQUIRE(c != NULL);
    REQUIRE(tu_setup_table(c, "t", 10, "a=1 b=2 c=3", 20) != 0);
    for (int n = 0; n < 2; n++) {
        REQUIRE((s = tu_session(c, n)) != NULL);
        REQUIRE_OK(lt_cursor_open(s, "t", NULL, &cur));
        REQUIRE_OK(begin(s, LT_ISO_SNAPSHOT, 0, ts++));
        CHECK_CUR_KEY(lt_cursor_next(cur), cur, "a");
        CHECK_OK(tu_write_in(s, "t", "b=22"));
        CHECK_CUR_KEY(lt_cursor_next(cur), cur, "b");
        CHECK_CUR_VAL(cur, "22");
        CHECK_OK(lt_truncate(s, "t"));
        CHECK_RC(lt_cursor_next(cur), WT_NOTFOUND);
        CHECK_OK(lt_txn_rollback(s));
        CHECK_OK(lt_cursor_close(cur));
        CHECK_SCAN(s, "t", "a=1 b=2 c=3");
        CHECK_OK(lt_session_close(s));
    }
    CHECK_OK(tu_close(c));
}

/* Writes need a transaction with a commit timestamp. */
static void
test_commit_timestamp_rules(void)
{
    lt_cluster *c = tu_open(2);
    lt_session *s;
    lt_cursor *cur;

    REQUIRE(c != NULL);
    REQUIRE(tu_setup_table(c, "t", 10, "a=1", 20) != 0);
    for (int n = 0; n < 2; n++) {
        REQUIRE((s = tu_session(c, n)) != NULL);
        /* no transaction */
        REQUIRE_OK(lt_cursor_open(s, "t", NULL, &cur));
        lt_cursor_set_key(cur, "x");
        lt_cursor_set_value(cur, "1", 1);
        CHECK_RC(lt_cursor_insert(cur), EINVAL);
        lt_cursor_set_key(cur, "a");
        CHECK_RC(lt_cursor_remove(cur), EINVAL);
        CHECK_OK(lt_cursor_close(cur));
        /* a transaction without a commit timestamp */
        REQUIRE_OK(begin(s, LT_ISO_SNAPSHOT, 0, 0));
        CHECK_RC(tu_write_in(s, "t", "x=1"), EINVAL);
        CHECK_RC(tu_write_in(s, "t", "-a"), EINVAL);
        CHECK_RC(lt_txn_set_commit_ts(s, 0), EINVAL);
        lt_txn_rollback(s);
        CHECK_SCAN(s, "t", "a=1");
        /* the quiet case: the commit timestamp set after begin */
        REQUIRE_OK(begin(s, LT_ISO_SNAPSHOT, 0, 0));
        CHECK_OK(lt_txn_set_commit_ts(s, 30 + (uint64_t)n));
        CHECK_OK(tu_write_in(s, "t", "x=1"));
        CHECK_OK(lt_txn_commit(s, 0));
        CHECK_SCAN(s, "t", "a=1 x=1");
        CHECK_OK(lt_session_close(s));
    }
    CHECK_OK(tu_close(c));
}

/* Transaction calls in the wrong state fail with an error and leave the session usable. */
static void
test_txn_misuse(void)
{
    lt_cluster *c = tu_open(2);
    lt_session *s;
    lt_txn_config bad = {(lt_isolation)42, 0, 0};

    REQUIRE(c != NULL);
    REQUIRE((s = tu_session(c, 1)) != NULL);
    CHECK_EQ(lt_txn_active(s), 0);
    CHECK_RC(lt_txn_commit(s, 0), EINVAL);
    CHECK_RC(lt_txn_rollback(s), EINVAL);
    CHECK_RC(lt_txn_prepare(s, 30), EINVAL);
    CHECK_RC(lt_txn_set_commit_ts(s, 30), EINVAL);
    CHECK_RC(lt_txn_begin(s, &bad), EINVAL);
    CHECK_OK(lt_txn_begin(s, NULL));
    CHECK_RC(lt_txn_begin(s, NULL), EINVAL);
    CHECK_EQ(lt_txn_active(s), 1);
    CHECK_OK(lt_txn_rollback(s));
    CHECK_EQ(lt_txn_active(s), 0);
    CHECK_OK(tu_close(c));
}

int
main(void)
{
    TU_RUN(test_prepare_conflict);
    TU_RUN(test_prepare_rollback);
    TU_RUN(test_isolation);
    TU_RUN(test_own_writes_under_positioned_cursor);
    TU_RUN(test_commit_timestamp_rules);
    TU_RUN(test_txn_misuse);
    return tu_finish();
}
