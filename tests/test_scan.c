/*
 * test_scan.c -- the layered cursor's positioning (docs/CONTRACT.md#cursor, invariant I2): full
 * next and prev scans strictly ordered and terminating, search then next/prev from an ingest row
 * and from a stable row, direction changes, reset, search_near in all four cases, largest_key.
 *
 * The usual table: stable (leader, checkpoint at 20) a c e g i z; follower 1's ingest (ts 30)
 * b d f h j, g=G over stable g, tombstones over e and z. Visible on node 1:
 *     a(s) b(i) c(s) d(i) f(i) g=G(i) h(i) i(s) j(i)
 */
#include "util.h"

#define VISIBLE "a=s b=i c=s d=i f=i g=G h=i i=s j=i"

static lt_cluster *
setup(void)
{
    lt_cluster *c = tu_open(2);
    lt_session *s;

    if (c == NULL)
        return NULL;
    if (tu_setup_table(c, "t", 10, "a=s c=s e=s g=s i=s z=s", 20) == 0)
        return NULL;
    if ((s = tu_session(c, 1)) == NULL)
        return NULL;
    if (!CHECK_OK(tu_write(s, "t", 30, "b=i d=i f=i h=i j=i g=G -e -z")))
        return NULL;
    lt_session_close(s);
    return c;
}

static void
test_full_scans_small(void)
{
    lt_cluster *c = setup();
    lt_session *s0, *s1;

    REQUIRE(c != NULL);
    REQUIRE((s0 = tu_session(c, 0)) != NULL);
    REQUIRE((s1 = tu_session(c, 1)) != NULL);
    CHECK_SCAN(s1, "t", VISIBLE);
    CHECK_SCAN(s0, "t", "a=s c=s e=s g=s i=s z=s");
    CHECK_OK(tu_close(c));
}

/* A growing string. */
typedef struct {
    char *p;
    size_t n, cap;
} sb;

static void sb_add(sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
sb_add(sb *b, const char *fmt, ...)
{
    va_list ap;
    int w;

    for (;;) {
        if (b->cap - b->n < 128 || b->p == NULL) {
            b->cap = b->cap == 0 ? 4096 : b->cap * 2;
            b->p = realloc(b->p, b->cap);
            if (b->n == 0)
                b->p[0] = '\0';
        }
        va_start(ap, fmt);
        w = vsnprintf(b->p + b->n, b->cap - b->n, fmt, ap);
        va_end(ap);
        if ((size_t)w < b->cap - b->n) {
            b->n += (size_t)w;
            return;
        }
        b->cap *= 2;
        b->p = realloc(b->p, b->cap);
    }
}

/*
 * 300 stable keys (even numbers), 300 ingest keys (odd numbers), every 5th stable key updated in
 * ingest, every 7th removed in ingest; also a stable-only and an ingest-only table, and a table
 * whose every row is tombstoned.
 */
static void
test_full_scans_large(void)
{
    lt_cluster *c = tu_open(2);
    lt_session *s0, *s1;
    sb stab = {0}, ing = {0}, exp = {0}, stab_only = {0}, ing_only = {0}, tomb = {0};

    REQUIRE(c != NULL);
    for (int i = 0; i < 600; i += 2)
        sb_add(&stab, "k%03d=s%d ", i, i);
    for (int i = 1; i < 600; i += 2)
        sb_add(&ing, "k%03d=i%d ", i, i);
    for (int i = 0; i < 600; i += 2) {
        if (i % 7 == 0)
            sb_add(&ing, "-k%03d ", i);
        else if (i % 5 == 0)
            sb_add(&ing, "k%03d=u%d ", i, i);
    }
    for (int i = 0; i < 600; i++) {
        if (i % 2 == 1)
            sb_add(&exp, "k%03d=i%d ", i, i);
        else if (i % 7 == 0)
            continue;
        else if (i % 5 == 0)
            sb_add(&exp, "k%03d=u%d ", i, i);
        else
            sb_add(&exp, "k%03d=s%d ", i, i);
    }
    for (int i = 0; i < 50; i++) {
        sb_add(&stab_only, "x%02d=s ", i);
        sb_add(&ing_only, "y%02d=i ", i);
        sb_add(&tomb, "-x%02d ", i);
    }
    REQUIRE((s0 = tu_session(c, 0)) != NULL);
    REQUIRE((s1 = tu_session(c, 1)) != NULL);
    REQUIRE_OK(lt_create(s0, "t"));
    REQUIRE_OK(lt_create(s0, "stab"));
    REQUIRE_OK(lt_create(s0, "gone"));
    REQUIRE_OK(tu_write(s0, "t", 10, stab.p));
    REQUIRE_OK(tu_write(s0, "stab", 11, stab_only.p));
    REQUIRE_OK(tu_write(s0, "gone", 12, stab_only.p));
    REQUIRE(tu_pickup_all(c, tu_checkpoint(c, 0, 20)));
    REQUIRE_OK(lt_create(s1, "ing"));
    CHECK_OK(tu_write(s1, "t", 30, ing.p));
    CHECK_OK(tu_write(s1, "ing", 31, ing_only.p));
    CHECK_OK(tu_write(s1, "gone", 32, tomb.p));
    CHECK_SCAN(s1, "t", exp.p);
    CHECK_SCAN(s1, "stab", stab_only.p);
    {
        /* ing_only's script is also its expected list */
        CHECK_SCAN(s1, "ing", ing_only.p);
    }
    CHECK_SCAN(s1, "gone", "");
    CHECK_SCAN(s0, "t", stab.p);
    free(stab.p);
    free(ing.p);
    free(exp.p);
    free(stab_only.p);
    free(ing_only.p);
    free(tomb.p);
    CHECK_OK(tu_close(c));
}

/* search positions on an ingest or a stable row; next and prev continue from it. */
static void
test_search_then_step(void)
{
    lt_cluster *c = setup();
    lt_session *s;
    lt_cursor *cur;

    REQUIRE(c != NULL);
    REQUIRE((s = tu_session(c, 1)) != NULL);
    REQUIRE_OK(lt_cursor_open(s, "t", NULL, &cur));

    /* From an ingest row. */
    lt_cursor_set_key(cur, "d");
    CHECK_CUR_KEY(lt_cursor_search(cur), cur, "d");
    CHECK_CUR_VAL(cur, "i");
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "f");
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "g");
    CHECK_CUR_VAL(cur, "G");
    CHECK_CUR_KEY(lt_cursor_prev(cur), cur, "f");
    CHECK_CUR_KEY(lt_cursor_prev(cur), cur, "d");
    CHECK_CUR_KEY(lt_cursor_prev(cur), cur, "c");
    lt_cursor_set_key(cur, "d");
    CHECK_CUR_KEY(lt_cursor_search(cur), cur, "d");
    CHECK_CUR_KEY(lt_cursor_prev(cur), cur, "c");
    CHECK_CUR_VAL(cur, "s");
    CHECK_CUR_KEY(lt_cursor_prev(cur), cur, "b");
    CHECK_CUR_KEY(lt_cursor_prev(cur), cur, "a");
    CHECK_RC(lt_cursor_prev(cur), WT_NOTFOUND);

    /* From a stable row. */
    lt_cursor_set_key(cur, "c");
    CHECK_CUR_KEY(lt_cursor_search(cur), cur, "c");
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "d");
    lt_cursor_set_key(cur, "c");
    CHECK_CUR_KEY(lt_cursor_search(cur), cur, "c");
    CHECK_CUR_KEY(lt_cursor_prev(cur), cur, "b");
    lt_cursor_set_key(cur, "i");
    CHECK_CUR_KEY(lt_cursor_search(cur), cur, "i");
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "j");
    CHECK_RC(lt_cursor_next(cur), WT_NOTFOUND);
    lt_cursor_set_key(cur, "i");
    CHECK_CUR_KEY(lt_cursor_search(cur), cur, "i");
    CHECK_CUR_KEY(lt_cursor_prev(cur), cur, "h");
    CHECK_CUR_KEY(lt_cursor_prev(cur), cur, "g");

    /* A key in both constituents: ingest wins, neighbours in both directions. */
    lt_cursor_set_key(cur, "g");
    CHECK_CUR_KEY(lt_cursor_search(cur), cur, "g");
    CHECK_CUR_VAL(cur, "G");
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "h");
    lt_cursor_set_key(cur, "g");
    CHECK_CUR_KEY(lt_cursor_search(cur), cur, "g");
    CHECK_CUR_KEY(lt_cursor_prev(cur), cur, "f");

    /* Tombstoned and absent keys are not found. */
    lt_cursor_set_key(cur, "e");
    CHECK_RC(lt_cursor_search(cur), WT_NOTFOUND);
    lt_cursor_set_key(cur, "z");
    CHECK_RC(lt_cursor_search(cur), WT_NOTFOUND);
    lt_cursor_set_key(cur, "bb");
    CHECK_RC(lt_cursor_search(cur), WT_NOTFOUND);

    /* At both ends. */
    lt_cursor_set_key(cur, "a");
    CHECK_CUR_KEY(lt_cursor_search(cur), cur, "a");
    CHECK_RC(lt_cursor_prev(cur), WT_NOTFOUND);
    lt_cursor_set_key(cur, "j");
    CHECK_CUR_KEY(lt_cursor_search(cur), cur, "j");
    CHECK_RC(lt_cursor_next(cur), WT_NOTFOUND);
    CHECK_OK(lt_cursor_close(cur));
    CHECK_OK(tu_close(c));
}

/* Direction changes in the middle of a scan continue from the current key; reset restarts. */
static void
test_direction_changes(void)
{
    lt_cluster *c = setup();
    lt_session *s;
    lt_cursor *cur;

    REQUIRE(c != NULL);
    REQUIRE((s = tu_session(c, 1)) != NULL);
    REQUIRE_OK(lt_cursor_open(s, "t", NULL, &cur));
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "a");
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "b");
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "c");
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "d");
    CHECK_CUR_KEY(lt_cursor_prev(cur), cur, "c");
    CHECK_CUR_KEY(lt_cursor_prev(cur), cur, "b");
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "c");
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "d");
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "f"); /* e is tombstoned */
    CHECK_CUR_KEY(lt_cursor_prev(cur), cur, "d");
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "f");
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "g");
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "h");
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "i");
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "j");
    CHECK_RC(lt_cursor_next(cur), WT_NOTFOUND);

    CHECK_OK(lt_cursor_reset(cur));
    CHECK_CUR_KEY(lt_cursor_prev(cur), cur, "j");
    CHECK_CUR_KEY(lt_cursor_prev(cur), cur, "i");
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "j");
    CHECK_CUR_KEY(lt_cursor_prev(cur), cur, "i");
    CHECK_CUR_KEY(lt_cursor_prev(cur), cur, "h");
    CHECK_OK(lt_cursor_reset(cur));
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "a");
    CHECK_RC(lt_cursor_prev(cur), WT_NOTFOUND);
    /* As in WiredTiger, a cursor that ran off an end is reset: next starts again at the first. */
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "a");
    CHECK_OK(lt_cursor_close(cur));
    CHECK_OK(tu_close(c));
}

static int
check_near(const char *file, int line, lt_cursor *cur, const char *key, int want_rc,
  const char *want_key, int want_sign)
{
    int exact = 99, rc;

    lt_cursor_set_key(cur, key);
    rc = lt_cursor_search_near(cur, &exact);
    if (want_rc != 0)
        return tu_check_rc_(file, line, "search_near", rc, want_rc);
    if (!tu_check_cur_key_(file, line, "search_near", rc, cur, want_key))
        return 0;
    if ((want_sign == 0 && exact != 0) || (want_sign > 0 && exact <= 0) ||
      (want_sign < 0 && exact >= 0)) {
        tu_fail(file, line, "search_near(\"%s\") found \"%s\" with exact %d, expected sign %d", key,
          want_key, exact, want_sign);
        return 0;
    }
    return 1;
}
#define CHECK_NEAR(cur, key, rc, want_key, sign) \
    check_near(__FILE__, __LINE__, (cur), (key), (rc), (want_key), (sign))

/* search_near: exact, nearest larger, only smaller, empty table; on a follower and a leader. */
static void
test_search_near(void)
{
    lt_cluster *c = setup();
    lt_session *s0, *s1;
    lt_cursor *cur;

    REQUIRE(c != NULL);
    REQUIRE((s0 = tu_session(c, 0)) != NULL);
    REQUIRE((s1 = tu_session(c, 1)) != NULL);
    REQUIRE_OK(lt_cursor_open(s1, "t", NULL, &cur));
    /* exact, in ingest and in stable */
    CHECK_NEAR(cur, "d", 0, "d", 0);
    CHECK_NEAR(cur, "a", 0, "a", 0);
    CHECK_NEAR(cur, "g", 0, "g", 0);
    CHECK_CUR_VAL(cur, "G");
    /* larger: from a tombstoned key, between keys, before the first */
    CHECK_NEAR(cur, "e", 0, "f", 1);
    CHECK_NEAR(cur, "bb", 0, "c", 1);
    CHECK_NEAR(cur, "0", 0, "a", 1);
    CHECK_CUR_KEY(lt_cursor_next(cur), cur, "b"); /* and next continues from there */
    CHECK_NEAR(cur, "e", 0, "f", 1);
    CHECK_CUR_KEY(lt_cursor_prev(cur), cur, "d");
    /* smaller only: past the last visible key (stable z is tombstoned) */
    CHECK_NEAR(cur, "k", 0, "j", -1);
    CHECK_NEAR(cur, "z", 0, "j", -1);
    CHECK_NEAR(cur, "zz", 0, "j", -1);
    CHECK_CUR_KEY(lt_cursor_prev(cur), cur, "i");
    CHECK_OK(lt_cursor_close(cur));

    /* The leader, stable only. */
    REQUIRE_OK(lt_cursor_open(s0, "t", NULL, &cur));
    CHECK_NEAR(cur, "e", 0, "e", 0);
    CHECK_NEAR(cur, "d", 0, "e", 1);
    CHECK_NEAR(cur, "zz", 0, "z", -1);
    CHECK_OK(lt_cursor_close(cur));

    /* Empty tables: never written, and every row tombstoned. */
    REQUIRE_OK(lt_create(s0, "empty"));
    REQUIRE_OK(lt_create(s0, "gone"));
    CHECK_OK(tu_write(s0, "gone", 40, "m=1"));
    REQUIRE_OK(lt_cursor_open(s0, "empty", NULL, &cur));
    CHECK_NEAR(cur, "m", WT_NOTFOUND, NULL, 0);
    CHECK_OK(lt_cursor_close(cur));
    REQUIRE(tu_pickup_all(c, tu_checkpoint(c, 0, 50)));
    CHECK_OK(tu_write(s1, "gone", 60, "-m"));
    REQUIRE_OK(lt_cursor_open(s1, "empty", NULL, &cur));
    CHECK_NEAR(cur, "m", WT_NOTFOUND, NULL, 0);
    CHECK_OK(lt_cursor_close(cur));
    REQUIRE_OK(lt_cursor_open(s1, "gone", NULL, &cur));
    CHECK_NEAR(cur, "m", WT_NOTFOUND, NULL, 0);
    CHECK_NEAR(cur, "a", WT_NOTFOUND, NULL, 0);
    CHECK_OK(lt_cursor_close(cur));
    CHECK_OK(tu_close(c));
}

/* largest_key, where supported, positions on the largest visible key (not a tombstoned one). */
static void
test_largest_key(void)
{
    lt_cluster *c = setup();
    lt_session *s;
    lt_cursor *cur;
    int rc;

    REQUIRE(c != NULL);
    REQUIRE((s = tu_session(c, 1)) != NULL);
    REQUIRE_OK(lt_cursor_open(s, "t", NULL, &cur));
    rc = lt_cursor_largest_key(cur);
    if (rc == ENOTSUP)
        tu_note("lt_cursor_largest_key: ENOTSUP");
    else
        CHECK_CUR_KEY(rc, cur, "j");
    CHECK_OK(lt_cursor_close(cur));
    CHECK_OK(tu_close(c));
}

int
main(void)
{
    TU_RUN(test_full_scans_small);
    TU_RUN(test_full_scans_large);
    TU_RUN(test_search_then_step);
    TU_RUN(test_direction_changes);
    TU_RUN(test_search_near);
    TU_RUN(test_largest_key);
    return tu_finish();
}
