/*
 * test_edges.c -- keys and values at the edges, through every path a row takes: leader writes
 * (stable), follower writes (ingest), checkpoint and pickup, ingest GC, a follower truncate, and
 * the step-up drain. Keys: empty, one byte, prefix pairs ("a", "a\x01", "a\x01\x01"), 0x7f, 0x80
 * and 0xff runs, LT_KEY_MAX bytes and one less. Values: empty, the ingest tags alone ("T", "V"),
 * a tag followed by what looks like a version's timestamp, an encoded ingest row of another key,
 * upstream's ingest tombstone marker (0x14 0x14) and its escaped forms, every byte value, NUL.
 * No value may read back as a tombstone or as anything but its own bytes, and keys must keep
 * byte order on every node. An over-long key is a clear EINVAL, never a crash.
 */
#include "util.h"

#define NK 22
#define NV 14
#define TBL "e"

typedef struct {
    char *p;
    size_t n;
} blob;

static blob keys[NK]; /* sorted by byte order after init */
static blob vals[NV];
static int exp_val[NK]; /* index into vals, or -1: removed */

static blob
mk(const void *p, size_t n)
{
    blob b;

    b.p = calloc(1, n + 1);
    b.n = n;
    if (b.p != NULL && n != 0)
        memcpy(b.p, p, n);
    return b;
}

static blob
mk_fill(int c, size_t n)
{
    blob b = mk("", 0);

    free(b.p);
    b.p = calloc(1, n + 1);
    b.n = n;
    if (b.p != NULL)
        memset(b.p, c, n);
    return b;
}

static int
blob_cmp(const void *a, const void *b)
{
    const blob *x = a, *y = b;
    size_t n = x->n < y->n ? x->n : y->n;
    int c = memcmp(x->p, y->p, n);

    return c != 0 ? c : x->n < y->n ? -1 : x->n > y->n ? 1 : 0;
}

static void
init_edges(void)
{
    static const char *const small[] = {"", "\x01", "a", "a\x01", "a\x01\x01", "a\x7f", "a\x80",
      "a\xfe", "a\xff", "a\xff\xff", "a\xff\xff\xff\xff\xff\xff\xff\xff", "aT", "aV", "b",
      "\xfe\xff", "\xff"};
    unsigned char all[256], enc[10];
    int i, k = 0;

    for (i = 0; i < (int)(sizeof(small) / sizeof(small[0])); i++)
        keys[k++] = mk(small[i], strlen(small[i]));
    keys[k++] = mk_fill('z', LT_KEY_MAX - 1);
    keys[k++] = mk_fill('z', LT_KEY_MAX);
    keys[k++] = mk_fill(0xff, LT_KEY_MAX - 1);
    keys[k++] = mk_fill(0xff, LT_KEY_MAX);
    keys[k] = mk_fill('z', LT_KEY_MAX);
    keys[k++].p[LT_KEY_MAX - 1] = '\x01';
    keys[k] = mk_fill(0x80, LT_KEY_MAX);
    keys[k++].p[0] = 'a';
    qsort(keys, NK, sizeof(keys[0]), blob_cmp);

    for (i = 0; i < 256; i++)
        all[i] = (unsigned char)i;
    /* "a", NUL, 8 bytes: the ingest row key of user key "a" at some timestamp. */
    memcpy(enc, "a\0\xff\xff\xff\xff\xff\xff\xff\xe1", 10);
    k = 0;
    vals[k++] = mk("", 0);
    vals[k++] = mk("T", 1);
    vals[k++] = mk("V", 1);
    vals[k++] = mk("\0", 1);
    vals[k++] = mk("T\0\0\0\0\0\0\0\0", 9);
    vals[k++] = mk("Vhello", 6);
    vals[k++] = mk("\x14\x14", 2);
    vals[k++] = mk("\x14\x14\x14", 3);
    vals[k++] = mk("\x14\x14"
                   "ab",
      4);
    vals[k++] = mk(all, sizeof(all));
    for (i = 0; i < 256; i++)
        all[i] = (unsigned char)(255 - i);
    vals[k++] = mk(all, sizeof(all));
    vals[k++] = mk(enc, sizeof(enc));
    vals[k++] = mk("TT", 2);
    vals[k++] = mk("\xff", 1);
}

static void
free_edges(void)
{
    for (int i = 0; i < NK; i++)
        free(keys[i].p);
    for (int i = 0; i < NV; i++)
        free(vals[i].p);
}

/*
 * One transaction at ts: key i gets value (i + round) % NV, or is removed when i % rm_mod ==
 * rm_rem (rm_mod 0: no removes). track: update the expected table.
 */
static int
write_round(lt_session *s, uint64_t ts, int round, int rm_mod, int rm_rem, int track)
{
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, ts};
    lt_cursor *cur;
    int i, rc, rm;

    if ((rc = lt_txn_begin(s, &tc)) != 0)
        return rc;
    if ((rc = lt_cursor_open(s, TBL, NULL, &cur)) != 0) {
        lt_txn_rollback(s);
        return rc;
    }
    for (i = 0; i < NK && rc == 0; i++) {
        rm = rm_mod != 0 && i % rm_mod == rm_rem;
        lt_cursor_set_key(cur, keys[i].p);
        if (rm) { /* a key already absent is WT_NOTFOUND, as upstream's layered cursor */
            if ((rc = lt_cursor_remove(cur)) == WT_NOTFOUND)
                rc = 0;
        } else {
            lt_cursor_set_value(cur, vals[(i + round) % NV].p, vals[(i + round) % NV].n);
            rc = lt_cursor_insert(cur);
        }
        if (track)
            exp_val[i] = rm ? -1 : (i + round) % NV;
    }
    lt_cursor_close(cur);
    if (rc != 0) {
        lt_txn_rollback(s);
        return rc;
    }
    return lt_txn_commit(s, 0);
}

/* The cursor is on key i with its expected value. */
static int
on_row(const char *file, int line, const char *what, lt_session *s, lt_cursor *cur, int i)
{
    const char *k;
    const void *v;
    size_t vl;
    const blob *want = &vals[exp_val[i]];

    if (lt_cursor_get_key(cur, &k) != 0 || strlen(k) != keys[i].n ||
      memcmp(k, keys[i].p, keys[i].n) != 0) {
        tu_fail(file, line, "node %d %s: not on key #%d (%zu bytes)", lt_session_node(s), what, i,
          keys[i].n);
        return 0;
    }
    if (lt_cursor_get_value(cur, &v, &vl) != 0 || vl != want->n ||
      (vl != 0 && memcmp(v, want->p, vl) != 0)) {
        tu_fail(file, line, "node %d %s: key #%d: value of %zu bytes is not value #%d (%zu bytes)",
          lt_session_node(s), what, i, vl, exp_val[i], want->n);
        return 0;
    }
    return 1;
}

/* The next present key after i in direction dir, or -1. */
static int
next_present(int i, int dir)
{
    for (i += dir; i >= 0 && i < NK; i += dir)
        if (exp_val[i] >= 0)
            return i;
    return -1;
}

/* Point reads, search_near at every key (a removed one lands on a neighbour), scans both ways. */
static int
check_all(const char *file, int line, lt_session *s)
{
    lt_cursor *cur;
    int i, j, rc, ex, want_ex, ok = 1, dir;

    if ((rc = lt_cursor_open(s, TBL, NULL, &cur)) != 0)
        return tu_check_rc_(file, line, "lt_cursor_open", rc, 0);
    for (i = 0; i < NK && ok; i++) {
        lt_cursor_set_key(cur, keys[i].p);
        rc = lt_cursor_search(cur);
        if (exp_val[i] < 0 && rc != WT_NOTFOUND) {
            tu_fail(file, line, "node %d: search of removed key #%d: %s", lt_session_node(s), i,
              tu_rcname(rc));
            ok = 0;
        } else if (exp_val[i] >= 0 &&
          (!tu_check_rc_(file, line, "search", rc, 0) || !on_row(file, line, "search", s, cur, i)))
            ok = 0;
        /* search_near prefers the larger neighbour. */
        j = exp_val[i] >= 0 ? i : next_present(i, 1);
        want_ex = j == i ? 0 : 1;
        if (j < 0) {
            j = next_present(i, -1);
            want_ex = -1;
        }
        lt_cursor_set_key(cur, keys[i].p);
        ex = 99;
        rc = lt_cursor_search_near(cur, &ex);
        if (j < 0 ? rc != WT_NOTFOUND :
                    rc != 0 || ex != want_ex || !on_row(file, line, "search_near", s, cur, j)) {
            tu_fail(file, line, "node %d: search_near of key #%d: %s, exact %d (want key #%d)",
              lt_session_node(s), i, tu_rcname(rc), ex, j);
            ok = 0;
        }
    }
    for (dir = 1; dir >= -1 && ok; dir -= 2) {
        CHECK_OK(lt_cursor_reset(cur));
        j = next_present(dir > 0 ? -1 : NK, dir);
        while ((rc = dir > 0 ? lt_cursor_next(cur) : lt_cursor_prev(cur)) == 0 && j >= 0) {
            if (!on_row(file, line, dir > 0 ? "next scan" : "prev scan", s, cur, j)) {
                ok = 0;
                break;
            }
            j = next_present(j, dir);
        }
        if (ok && (rc != WT_NOTFOUND || j >= 0)) {
            tu_fail(file, line, "node %d: %s scan ended with %s, key #%d still expected",
              lt_session_node(s), dir > 0 ? "next" : "prev", tu_rcname(rc), j);
            ok = 0;
        }
    }
    lt_cursor_close(cur);
    return ok;
}
#define CHECK_ALL(s) check_all(__FILE__, __LINE__, (s))

static void
test_edges_every_path(void)
{
    lt_cluster *c = tu_open(3);
    lt_session *s[3];
    uint64_t id, removed;
    int n;

    init_edges();
    REQUIRE(c != NULL);
    for (n = 0; n < 3; n++)
        REQUIRE((s[n] = tu_session(c, n)) != NULL);
    REQUIRE_OK(lt_create(s[0], TBL));
    REQUIRE_OK(lt_create(s[1], TBL));
    /* Stable: the leader's rows, checkpointed and picked up. */
    CHECK_OK(write_round(s[0], 10, 0, 0, 0, 1));
    CHECK_ALL(s[0]);
    REQUIRE(tu_pickup_all(c, tu_checkpoint(c, 0, 20)));
    for (n = 0; n < 3; n++)
        CHECK_ALL(s[n]);

    /* The same log on leader and follower 1: new values over stable, removes next to them. */
    CHECK_OK(write_round(s[0], 30, 1, 5, 2, 0));
    CHECK_OK(write_round(s[1], 30, 1, 5, 2, 1));
    CHECK_ALL(s[0]);
    CHECK_ALL(s[1]);
    REQUIRE(tu_pickup_all(c, tu_checkpoint(c, 0, 40)));
    /* GC drops the follower's versions the checkpoint holds; reads do not change. */
    removed = 0;
    CHECK_OK(lt_gc(c, 1, &removed));
    CHECK_GT(removed, 0);
    for (n = 0; n < 3; n++)
        CHECK_ALL(s[n]);

    /* Follower 1 alone writes, then steps up: the drain moves its ingest into stable. */
    CHECK_OK(write_round(s[1], 50, 2, 7, 3, 1));
    CHECK_ALL(s[1]);
    REQUIRE_OK(lt_step_down(c, 0));
    REQUIRE_OK(lt_step_up(c, 1));
    CHECK_ALL(s[1]);
    REQUIRE((id = tu_checkpoint(c, 1, 60)) != 0);
    CHECK(tu_pickup_all(c, id));
    for (n = 0; n < 3; n++) {
        CHECK_OK(lt_gc(c, n, NULL));
        CHECK_ALL(s[n]);
    }

    /* A follower truncate tombstones every key, edge keys too; the next drain empties stable. */
    CHECK_OK(write_round(s[0], 70, 3, 0, 0, 0));
    {
        lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, 71};

        REQUIRE_OK(lt_txn_begin(s[0], &tc));
        CHECK_OK(lt_truncate(s[0], TBL));
        CHECK_OK(lt_txn_commit(s[0], 0));
    }
    for (n = 0; n < NK; n++)
        exp_val[n] = -1;
    CHECK_ALL(s[0]);
    REQUIRE_OK(lt_step_down(c, 1));
    REQUIRE_OK(lt_step_up(c, 0));
    CHECK_ALL(s[0]);
    REQUIRE((id = tu_checkpoint(c, 0, 80)) != 0);
    CHECK(tu_pickup_all(c, id));
    for (n = 0; n < 3; n++)
        CHECK_ALL(s[n]);
    CHECK_OK(tu_close(c));
    free_edges();
}

/* An over-long key is EINVAL with a message on every operation, on both roles; no crash. */
static void
test_key_too_long(void)
{
    lt_cluster *c = tu_open(2);
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, 10};
    lt_session *s, *ss[2];
    lt_cursor *cur;
    WT_MODIFY m;
    char *big, out[512];
    int n, ex;

    REQUIRE(c != NULL);
    REQUIRE((ss[0] = tu_session(c, 0)) != NULL);
    REQUIRE((ss[1] = tu_session(c, 1)) != NULL);
    REQUIRE((big = malloc(LT_KEY_MAX + 2)) != NULL);
    memset(big, 'k', LT_KEY_MAX + 1);
    big[LT_KEY_MAX + 1] = '\0';
    memset(&m, 0, sizeof(m));
    REQUIRE_OK(lt_create(ss[0], TBL));
    REQUIRE_OK(lt_create(ss[1], TBL));
    for (n = 0; n < 2; n++) {
        s = ss[n];
        REQUIRE_OK(lt_txn_begin(s, &tc));
        REQUIRE_OK(lt_cursor_open(s, TBL, NULL, &cur));
        lt_cursor_set_key(cur, big);
        lt_cursor_set_value(cur, "v", 1);
        CHECK_RC(lt_cursor_insert(cur), EINVAL);
        CHECK(strstr(lt_last_error(), "too long") != NULL);
        lt_cursor_set_key(cur, big);
        CHECK_RC(lt_cursor_search(cur), EINVAL);
        lt_cursor_set_key(cur, big);
        CHECK_RC(lt_cursor_search_near(cur, &ex), EINVAL);
        lt_cursor_set_key(cur, big);
        CHECK_RC(lt_cursor_remove(cur), EINVAL);
        lt_cursor_set_key(cur, big);
        lt_cursor_set_value(cur, "v", 1);
        CHECK_RC(lt_cursor_update(cur), EINVAL);
        lt_cursor_set_key(cur, big);
        CHECK_RC(lt_cursor_modify(cur, &m, 1), EINVAL);
        /* The cursor stays usable, and the longest key works. */
        big[LT_KEY_MAX] = '\0';
        lt_cursor_set_key(cur, big);
        lt_cursor_set_value(cur, "v", 1);
        CHECK_OK(lt_cursor_insert(cur));
        lt_cursor_set_key(cur, big);
        CHECK_OK(lt_cursor_search(cur));
        CHECK_OK(lt_cursor_close(cur));
        CHECK_OK(lt_txn_commit(s, 0));
        /* Forensics take any key. */
        big[LT_KEY_MAX] = 'k';
        CHECK_OK(lt_debug_key(s, TBL, big, out, sizeof(out)));
        CHECK_OK(lt_debug_key(s, TBL, "", out, sizeof(out)));
        if (n == 0)
            REQUIRE(tu_pickup_all(c, tu_checkpoint(c, 0, 5)));
    }
    free(big);
    CHECK_OK(tu_close(c));
}

int
main(void)
{
    TU_RUN(test_edges_every_path);
    TU_RUN(test_key_too_long);
    return tu_finish();
}
