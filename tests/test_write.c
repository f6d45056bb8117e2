/*
 * test_write.c -- cursor writes (docs/CONTRACT.md#cursor, invariant I3): a positioned update or
 * remove acts on the layered cursor's key, never on the key the other constituent is parked on;
 * modify of a stable-only key; insert/update/remove with overwrite=false and with the default
 * overwrite=true (compared with a plain WiredTiger table); a follower's remove of a key its view
 * does not show yet.
 *
 * Table on follower 1: stable a c e g (checkpoint 20), ingest b d f (ts 30).
 */
#include "util.h"

static lt_cluster *
setup(void)
{
    lt_cluster *c = tu_open(2);
    lt_session *s;

    if (c == NULL || tu_setup_table(c, "t", 10, "a=s c=s e=s g=s", 20) == 0)
        return NULL;
    if ((s = tu_session(c, 1)) == NULL || !CHECK_OK(tu_write(s, "t", 30, "b=i d=i f=i")))
        return NULL;
    lt_session_close(s);
    return c;
}

static int
begin(lt_session *s, uint64_t ts)
{
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, ts};
    return lt_txn_begin(s, &tc);
}

/* Positioned update and remove on a follower, on stable rows and on ingest rows. */
static void
test_positioned_follower(void)
{
    lt_cluster *c = setup();
    lt_session *s;
    lt_cursor *cur;

    REQUIRE(c != NULL);
    REQUIRE((s = tu_session(c, 1)) != NULL);

    /* search lands on stable c; the ingest constituent is elsewhere (b or d). Update c. */
    REQUIRE_OK(begin(s, 40));
    REQUIRE_OK(lt_cursor_open(s, "t", NULL, &cur));
    lt_cursor_set_key(cur, "c");
    CHECK_CUR_KEY(lt_cursor_search(cur), cur, "c");
    lt_cursor_set_value(cur, "C", 1);
    CHECK_OK(lt_cursor_update(cur));
    CHECK_OK(lt_cursor_close(cur));
    CHECK_OK(lt_txn_commit(s, 0));
    CHECK_SCAN(s, "t", "a=s b=i c=C d=i e=s f=i g=s");

    /* next from the start: a (stable), b (ingest); remove b while stable is parked on c. */
    REQUIRE_OK(begin(s, 50));
    REQUIRE_OK(lt_cursor_open(s, "t", NULL, &cur));
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "a");
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "b");
    CHECK_OK(lt_cursor_remove(cur));
    CHECK_OK(lt_cursor_close(cur));
    CHECK_OK(lt_txn_commit(s, 0));
    CHECK_SCAN(s, "t", "a=s c=C d=i e=s f=i g=s");

    /* prev from f lands on stable e while ingest is parked on d: update e, then remove d. */
    REQUIRE_OK(begin(s, 60));
    REQUIRE_OK(lt_cursor_open(s, "t", NULL, &cur));
    lt_cursor_set_key(cur, "f");
    CHECK_CUR_KEY(lt_cursor_search(cur), cur, "f");
    CHECK_CUR_KEY(lt_cursor_prev(cur), cur, "e");
    lt_cursor_set_value(cur, "E", 1);
    CHECK_OK(lt_cursor_update(cur));
    CHECK_OK(lt_cursor_reset(cur));
    CHECK_CUR_KEY(lt_cursor_prev(cur), cur, "g");
    CHECK_CUR_KEY(lt_cursor_prev(cur), cur, "f");
    CHECK_CUR_KEY(lt_cursor_prev(cur), cur, "e");
    CHECK_CUR_KEY(lt_cursor_prev(cur), cur, "d");
    CHECK_OK(lt_cursor_remove(cur));
    CHECK_OK(lt_cursor_close(cur));
    CHECK_OK(lt_txn_commit(s, 0));
    CHECK_SCAN(s, "t", "a=s c=C e=E f=i g=s");

    /* next lands on stable g after ingest ran out (f was the last ingest key): remove g. */
    REQUIRE_OK(begin(s, 70));
    REQUIRE_OK(lt_cursor_open(s, "t", NULL, &cur));
    lt_cursor_set_key(cur, "f");
    CHECK_CUR_KEY(lt_cursor_search(cur), cur, "f");
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "g");
    CHECK_OK(lt_cursor_remove(cur));
    CHECK_OK(lt_cursor_close(cur));
    CHECK_OK(lt_txn_commit(s, 0));
    CHECK_SCAN(s, "t", "a=s c=C e=E f=i");
    CHECK_OK(tu_close(c));
}

/* Positioned update and remove on the leader. */
static void
test_positioned_leader(void)
{
    lt_cluster *c = setup();
    lt_session *s;
    lt_cursor *cur;

    REQUIRE(c != NULL);
    REQUIRE((s = tu_session(c, 0)) != NULL);
    REQUIRE_OK(begin(s, 40));
    REQUIRE_OK(lt_cursor_open(s, "t", NULL, &cur));
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "a");
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "c");
    lt_cursor_set_value(cur, "C", 1);
    CHECK_OK(lt_cursor_update(cur));
    lt_cursor_set_key(cur, "g");
    CHECK_CUR_KEY(lt_cursor_search(cur), cur, "g");
    CHECK_CUR_KEY(lt_cursor_prev(cur), cur, "e");
    CHECK_OK(lt_cursor_remove(cur));
    CHECK_OK(lt_cursor_close(cur));
    CHECK_OK(lt_txn_commit(s, 0));
    CHECK_SCAN(s, "t", "a=s c=C g=s");
    CHECK_OK(tu_close(c));
}

static int
check_modify(const char *file, int line, lt_session *s, uint64_t ts, const char *key,
  const char *data, size_t offset, size_t size, const char *expected)
{
    lt_cursor *cur;
    WT_MODIFY m;
    int rc, ok;

    memset(&m, 0, sizeof(m));
    m.data.data = data;
    m.data.size = strlen(data);
    m.offset = offset;
    m.size = size;
    if ((rc = begin(s, ts)) != 0)
        return tu_check_rc_(file, line, "begin", rc, 0);
    if ((rc = lt_cursor_open(s, "t", NULL, &cur)) != 0) {
        lt_txn_rollback(s);
        return tu_check_rc_(file, line, "lt_cursor_open", rc, 0);
    }
    lt_cursor_set_key(cur, key);
    ok = tu_check_rc_(file, line, "lt_cursor_search", lt_cursor_search(cur), 0);
    ok &= tu_check_rc_(file, line, "lt_cursor_modify", lt_cursor_modify(cur, &m, 1), 0);
    lt_cursor_close(cur);
    ok &= tu_check_rc_(file, line, "lt_txn_commit", lt_txn_commit(s, 0), 0);
    ok &= tu_check_get_(file, line, s, "t", key, expected);
    return ok;
}
#define CHECK_MODIFY(s, ts, key, data, off, size, exp) \
    check_modify(__FILE__, __LINE__, (s), (ts), (key), (data), (off), (size), (exp))

/* modify of a stable-only key, an ingest key, and on the leader. */
static void
test_modify(void)
{
    lt_cluster *c = setup();
    lt_session *s0, *s1;

    REQUIRE(c != NULL);
    REQUIRE((s0 = tu_session(c, 0)) != NULL);
    REQUIRE((s1 = tu_session(c, 1)) != NULL);
    CHECK_MODIFY(s1, 40, "c", "XY", 1, 0, "sXY");     /* stable only: append */
    CHECK_MODIFY(s1, 41, "b", "Z", 0, 1, "Z");        /* ingest: replace */
    CHECK_MODIFY(s1, 42, "c", "Q", 0, 1, "QXY");      /* now an ingest key */
    CHECK_MODIFY(s0, 43, "e", "-mod", 1, 0, "s-mod"); /* leader */
    CHECK_SCAN(s1, "t", "a=s b=Z c=QXY d=i e=s f=i g=s");
    CHECK_OK(tu_close(c));
}

/* overwrite=false: duplicate keys and absent keys, on the follower's stable, ingest and tombstoned
 * keys, and on the leader. Failed operations change nothing. A follower's insert checks only its
 * ingest (upstream test_layered79), so a key only its checkpoint holds is written. */
static void
test_overwrite_false(void)
{
    lt_cluster *c = setup();
    lt_session *s[2];
    lt_cursor *cur;

    REQUIRE(c != NULL);
    REQUIRE((s[0] = tu_session(c, 0)) != NULL);
    REQUIRE((s[1] = tu_session(c, 1)) != NULL);
    CHECK_OK(tu_write(s[1], "t", 30 + 1, "-e")); /* e: stable row tombstoned in ingest */

    for (int n = 0; n < 2; n++) {
        REQUIRE_OK(begin(s[n], 40 + (uint64_t)n));
        REQUIRE_OK(lt_cursor_open(s[n], "t", "overwrite=false", &cur));
        /* insert of an existing key: in stable (the leader; a follower, as upstream's, checks
         * only its own writes and writes it), in ingest (follower) */
        lt_cursor_set_key(cur, "a");
        lt_cursor_set_value(cur, "dup", 3);
        CHECK_RC(lt_cursor_insert(cur), n == 0 ? WT_DUPLICATE_KEY : 0);
        lt_cursor_set_key(cur, n == 1 ? "b" : "c");
        lt_cursor_set_value(cur, "dup", 3);
        CHECK_RC(lt_cursor_insert(cur), WT_DUPLICATE_KEY);
        /* update and remove of absent keys */
        lt_cursor_set_key(cur, "zz");
        lt_cursor_set_value(cur, "new", 3);
        CHECK_RC(lt_cursor_update(cur), WT_NOTFOUND);
        lt_cursor_set_key(cur, "zz");
        CHECK_RC(lt_cursor_remove(cur), WT_NOTFOUND);
        if (n == 1) {
            /* a tombstoned key is absent */
            lt_cursor_set_key(cur, "e");
            lt_cursor_set_value(cur, "new", 3);
            CHECK_RC(lt_cursor_update(cur), WT_NOTFOUND);
            lt_cursor_set_key(cur, "e");
            CHECK_RC(lt_cursor_remove(cur), WT_NOTFOUND);
            lt_cursor_set_key(cur, "e");
            lt_cursor_set_value(cur, "E2", 2);
            CHECK_OK(lt_cursor_insert(cur));
        }
        /* the quiet cases: insert absent, update and remove existing */
        lt_cursor_set_key(cur, "x");
        lt_cursor_set_value(cur, "X", 1);
        CHECK_OK(lt_cursor_insert(cur));
        lt_cursor_set_key(cur, "g");
        lt_cursor_set_value(cur, "G", 1);
        CHECK_OK(lt_cursor_update(cur));
        lt_cursor_set_key(cur, "a");
        CHECK_OK(lt_cursor_remove(cur));
        /* and now x exists, a does not */
        lt_cursor_set_key(cur, "x");
        lt_cursor_set_value(cur, "X2", 2);
        CHECK_RC(lt_cursor_insert(cur), WT_DUPLICATE_KEY);
        lt_cursor_set_key(cur, "a");
        CHECK_RC(lt_cursor_remove(cur), WT_NOTFOUND);
        CHECK_OK(lt_cursor_close(cur));
        CHECK_OK(lt_txn_commit(s[n], 0));
    }
    CHECK_SCAN(s[0], "t", "c=s e=s g=G x=X");
    CHECK_SCAN(s[1], "t", "b=i c=s d=i e=E2 f=i g=G x=X");
    CHECK_OK(tu_close(c));
}

/*
 * The default overwrite=true behaves as a plain WiredTiger table does for an insert of an existing
 * key and an update of an absent key (the oracle gives the expected codes); a remove of an absent
 * key is WT_NOTFOUND, as upstream's layered cursor (a plain 3.2.1 cursor succeeds).
 */
static void
test_overwrite_true_like_plain_table(void)
{
    lt_cluster *c = setup();
    WT_CONNECTION *conn;
    WT_SESSION *ws;
    WT_CURSOR *wc;
    lt_session *s[2];
    lt_cursor *cur;
    int o_ins, o_upd;

    REQUIRE(c != NULL);
    REQUIRE((conn = lt_cluster_connection(c)) != NULL);
    REQUIRE_OK(conn->open_session(conn, NULL, "isolation=snapshot", &ws));
    REQUIRE_OK(ws->create(ws, "table:oracle", "key_format=S,value_format=S"));
    REQUIRE_OK(ws->open_cursor(ws, "table:oracle", NULL, NULL, &wc));
    wc->set_key(wc, "a");
    wc->set_value(wc, "s");
    REQUIRE_OK(wc->insert(wc));
    wc->set_key(wc, "a");
    wc->set_value(wc, "A");
    o_ins = wc->insert(wc);
    wc->set_key(wc, "u");
    wc->set_value(wc, "U");
    o_upd = wc->update(wc);
    REQUIRE_OK(ws->close(ws, NULL));

    REQUIRE((s[0] = tu_session(c, 0)) != NULL);
    REQUIRE((s[1] = tu_session(c, 1)) != NULL);
    for (int n = 0; n < 2; n++) {
        REQUIRE_OK(begin(s[n], 40 + (uint64_t)n));
        REQUIRE_OK(lt_cursor_open(s[n], "t", NULL, &cur));
        lt_cursor_set_key(cur, "a");
        lt_cursor_set_value(cur, "A", 1);
        CHECK_RC(lt_cursor_insert(cur), o_ins);
        lt_cursor_set_key(cur, "u");
        lt_cursor_set_value(cur, "U", 1);
        CHECK_RC(lt_cursor_update(cur), o_upd);
        lt_cursor_set_key(cur, "zz");
        CHECK_RC(lt_cursor_remove(cur), WT_NOTFOUND);
        CHECK_OK(lt_cursor_close(cur));
        CHECK_OK(lt_txn_commit(s[n], 0));
    }
    CHECK_SCAN(s[0], "t", o_upd == 0 ? "a=A c=s e=s g=s u=U" : "a=A c=s e=s g=s");
    CHECK_SCAN(s[1], "t",
      o_upd == 0 ? "a=A b=i c=s d=i e=s f=i g=s u=U" : "a=A b=i c=s d=i e=s f=i g=s");
    CHECK_OK(tu_close(c));
}

/*
 * A follower asked to remove a key its view does not show (the leader wrote it after the
 * checkpoint the follower reads): WT_NOTFOUND and no tombstone, as upstream's remove looks the key
 * up first. The key then shows once the follower picks up a checkpoint that holds it, and after
 * the follower steps up.
 */
static void
test_follower_remove_ahead_of_view(void)
{
    lt_cluster *c = setup();
    lt_session *s0, *s1;
    uint64_t id;

    REQUIRE(c != NULL);
    REQUIRE((s0 = tu_session(c, 0)) != NULL);
    REQUIRE((s1 = tu_session(c, 1)) != NULL);
    CHECK_OK(tu_write(s0, "t", 40, "n=L"));
    CHECK_GET(s1, "t", "n", NULL);
    CHECK_RC(tu_write(s1, "t", 50, "-n"), WT_NOTFOUND);
    REQUIRE((id = tu_checkpoint(c, 0, 45)) != 0);
    CHECK_OK(lt_pickup(c, 1, id));
    CHECK_GET(s1, "t", "n", "L");
    CHECK_GET(s1, "t", "a", "s");
    REQUIRE_OK(lt_step_down(c, 0));
    REQUIRE_OK(lt_step_up(c, 1));
    CHECK_GET(s1, "t", "n", "L");
    CHECK_SCAN(s1, "t", "a=s c=s e=s g=s n=L"); /* b d f (ts 30) were never the leader's */
    CHECK_OK(tu_close(c));
}

/* A duplicate-key insert leaves the existing value in the cursor, as WiredTiger's does. */
static void
test_duplicate_key_value(void)
{
    lt_cluster *c = setup();
    const void *v;
    lt_session *s;
    lt_cursor *cur;
    size_t vlen;
    int n;

    REQUIRE(c != NULL);
    for (n = 0; n < 2; n++) { /* leader (stable c), then follower (its own write b in ingest) */
        REQUIRE((s = tu_session(c, n)) != NULL);
        REQUIRE_OK(begin(s, 40 + (uint64_t)n));
        REQUIRE_OK(lt_cursor_open(s, "t", "overwrite=false", &cur));
        lt_cursor_set_key(cur, n == 0 ? "c" : "b");
        lt_cursor_set_value(cur, "new value", 9);
        CHECK_RC(lt_cursor_insert(cur), WT_DUPLICATE_KEY);
        if (CHECK_OK(lt_cursor_get_value(cur, &v, &vlen)))
            CHECK(vlen == 1 && memcmp(v, n == 0 ? "s" : "i", 1) == 0);
        CHECK_OK(lt_cursor_close(cur));
        CHECK_OK(lt_txn_rollback(s));
    }
    CHECK_OK(tu_close(c));
}

int
main(void)
{
    TU_RUN(test_positioned_follower);
    TU_RUN(test_positioned_leader);
    TU_RUN(test_modify);
    TU_RUN(test_overwrite_false);
    TU_RUN(test_overwrite_true_like_plain_table);
    TU_RUN(test_duplicate_key_value);
    TU_RUN(test_follower_remove_ahead_of_view);
    return tu_finish();
}
