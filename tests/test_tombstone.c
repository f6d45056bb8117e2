/*
 * test_tombstone.c -- no user value can be mistaken for a tombstone
 * (docs/CONTRACT.md#reads-writes): values that start with every byte (including 'T', 'V' and NUL),
 * the empty value, values forged by modify; in ingest (follower), in stable (leader), and after a
 * step-up drained them.
 */
#include "util.h"

#define NV 262

typedef struct {
    char key[16];
    unsigned char val[16];
    size_t len;
    int removed;
} kv;

static kv vals[NV];

static void
init_vals(void)
{
    static const struct {
        const char *v;
        size_t len;
    } special[] = {{"T", 1}, {"\0", 1}, {"", 0}, {"V", 1}, {"T\0T", 3}, {"\0\0\0\0", 4}};

    for (int i = 0; i < 256; i++) {
        snprintf(vals[i].key, sizeof(vals[i].key), "v%03d", i);
        vals[i].val[0] = (unsigned char)i;
        memcpy(vals[i].val + 1, "rest", 4);
        vals[i].len = 5;
    }
    for (int i = 0; i < 6; i++) {
        snprintf(vals[256 + i].key, sizeof(vals[0].key), "w%d", i);
        memcpy(vals[256 + i].val, special[i].v, special[i].len);
        vals[256 + i].len = special[i].len;
    }
}

static int
write_vals(lt_session *s, const char *table, uint64_t ts)
{
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, ts};
    lt_cursor *cur;
    int rc;

    if ((rc = lt_txn_begin(s, &tc)) != 0)
        return rc;
    if ((rc = lt_cursor_open(s, table, NULL, &cur)) != 0)
        goto err;
    for (int i = 0; i < NV && rc == 0; i++) {
        lt_cursor_set_key(cur, vals[i].key);
        lt_cursor_set_value(cur, vals[i].val, vals[i].len);
        rc = lt_cursor_insert(cur);
    }
    lt_cursor_close(cur);
    if (rc != 0)
        goto err;
    return lt_txn_commit(s, 0);
err:
    lt_txn_rollback(s);
    return rc;
}

/* Point reads and a next scan return exactly the values (bytes and sizes) not removed. */
static int
check_vals(const char *file, int line, lt_session *s, const char *table)
{
    lt_cursor *cur;
    const char *key;
    const void *data;
    size_t size;
    int rc, i, ok = 1;

    if ((rc = lt_cursor_open(s, table, NULL, &cur)) != 0)
        return tu_check_rc_(file, line, "lt_cursor_open", rc, 0);
    for (i = 0; i < NV; i++) {
        lt_cursor_set_key(cur, vals[i].key);
        rc = lt_cursor_search(cur);
        if (vals[i].removed) {
            if (rc != WT_NOTFOUND) {
                tu_fail(file, line, "node %d %s: removed key %s: search returned %s",
                  lt_session_node(s), table, vals[i].key, tu_rcname(rc));
                ok = 0;
            }
            continue;
        }
        if (rc == 0)
            rc = lt_cursor_get_value(cur, &data, &size);
        if (rc != 0 || size != vals[i].len || memcmp(data, vals[i].val, size) != 0) {
            tu_fail(file, line,
              "node %d %s: key %s: rc %s, size %zu (expected %zu), first byte %d (expected %d)",
              lt_session_node(s), table, vals[i].key, tu_rcname(rc), rc == 0 ? size : 0,
              vals[i].len, rc == 0 && size > 0 ? ((const unsigned char *)data)[0] : -1,
              vals[i].len > 0 ? vals[i].val[0] : -1);
            ok = 0;
        }
    }
    CHECK_OK(lt_cursor_reset(cur));
    i = 0;
    while ((rc = lt_cursor_next(cur)) == 0) {
        while (i < NV && vals[i].removed)
            i++;
        if (i == NV) {
            tu_fail(file, line, "node %d %s: scan returned more rows than expected",
              lt_session_node(s), table);
            ok = 0;
            break;
        }
        if (lt_cursor_get_key(cur, &key) != 0 || strcmp(key, vals[i].key) != 0 ||
          lt_cursor_get_value(cur, &data, &size) != 0 || size != vals[i].len ||
          memcmp(data, vals[i].val, size) != 0) {
            tu_fail(file, line, "node %d %s: scan row %d is not %s as written", lt_session_node(s),
              table, i, vals[i].key);
            ok = 0;
            break;
        }
        i++;
    }
    while (ok && i < NV && vals[i].removed)
        i++;
    if (ok && (rc != WT_NOTFOUND || i != NV)) {
        tu_fail(file, line, "node %d %s: scan ended with %s after %d of %d keys",
          lt_session_node(s), table, tu_rcname(rc), i, NV);
        ok = 0;
    }
    lt_cursor_close(cur);
    return ok;
}
#define CHECK_VALS(s, table) check_vals(__FILE__, __LINE__, (s), (table))

/* Modify the value of vals[i] in a transaction at ts, and track it. */
static int
modify(lt_session *s, const char *table, uint64_t ts, int i, const void *data, size_t dsize,
  size_t offset, size_t size)
{
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, ts};
    lt_cursor *cur;
    WT_MODIFY m;
    unsigned char nv[32];
    size_t nlen;
    int rc;

    memset(&m, 0, sizeof(m));
    m.data.data = data;
    m.data.size = dsize;
    m.offset = offset;
    m.size = size;
    if ((rc = lt_txn_begin(s, &tc)) != 0)
        return rc;
    if ((rc = lt_cursor_open(s, table, NULL, &cur)) == 0) {
        lt_cursor_set_key(cur, vals[i].key);
        if ((rc = lt_cursor_search(cur)) == 0)
            rc = lt_cursor_modify(cur, &m, 1);
        lt_cursor_close(cur);
    }
    if (rc != 0) {
        lt_txn_rollback(s);
        return rc;
    }
    if ((rc = lt_txn_commit(s, 0)) != 0)
        return rc;
    /* The expected result: WiredTiger's modify on a 'u' value pads with NUL. */
    memset(nv, 0, sizeof(nv));
    memcpy(nv, vals[i].val, vals[i].len);
    nlen = vals[i].len > offset ? vals[i].len : offset;
    {
        size_t tail = nlen > offset + size ? nlen - offset - size : 0;
        memmove(nv + offset + dsize, nv + offset + size, tail);
        memcpy(nv + offset, data, dsize);
        nlen = offset + dsize + tail;
    }
    memcpy(vals[i].val, nv, nlen);
    vals[i].len = nlen;
    return 0;
}

static void
test_no_forged_tombstones(void)
{
    lt_cluster *c = tu_open(3);
    lt_session *s0, *s1, *s2;
    uint64_t id;
    char rm[64];

    init_vals();
    REQUIRE(c != NULL);
    REQUIRE((s0 = tu_session(c, 0)) != NULL);
    REQUIRE_OK(lt_create(s0, "t"));
    REQUIRE_OK(lt_create(s0, "l"));
    CHECK_OK(write_vals(s0, "l", 10)); /* stable */
    CHECK_VALS(s0, "l");
    REQUIRE(tu_pickup_all(c, tu_checkpoint(c, 0, 20)));
    REQUIRE((s1 = tu_session(c, 1)) != NULL);
    REQUIRE((s2 = tu_session(c, 2)) != NULL);
    CHECK_VALS(s1, "l");

    /* Ingest. */
    CHECK_OK(write_vals(s1, "t", 30));
    CHECK_VALS(s1, "t");
    /* Forge with modify: a first byte 'T', a value grown from empty, NUL padding, NUL data. */
    CHECK_OK(modify(s1, "t", 31, 'x', "T", 1, 0, 1));  /* "xrest" -> "Trest" */
    CHECK_OK(modify(s1, "t", 32, 258, "T", 1, 0, 0));  /* "" -> "T" */
    CHECK_OK(modify(s1, "t", 33, 'a', "T", 1, 7, 0));  /* "arest" -> "arest\0\0T" */
    CHECK_OK(modify(s1, "t", 34, 'V', "\0", 1, 0, 1)); /* "Vrest" -> "\0rest" */
    CHECK_OK(modify(s1, "t", 35, 256, "", 0, 0, 1));   /* "T" -> "" */
    CHECK_VALS(s1, "t");
    /* Real removes still work, next to the forged values. */
    snprintf(rm, sizeof(rm), "-%s -%s", vals['T'].key, vals[0].key);
    CHECK_OK(tu_write(s1, "t", 40, rm));
    vals['T'].removed = vals[0].removed = 1;
    CHECK_VALS(s1, "t");

    /* Step-up drains ingest into stable: no forged value becomes a remove. */
    REQUIRE_OK(lt_step_down(c, 0));
    REQUIRE_OK(lt_step_up(c, 1));
    CHECK_VALS(s1, "t");
    REQUIRE((id = tu_checkpoint(c, 1, 50)) != 0);
    CHECK_OK(lt_pickup(c, 2, id));
    CHECK_VALS(s2, "t");
    CHECK_OK(lt_pickup(c, 0, id));
    CHECK_VALS(s0, "t");
    memset(vals, 0, sizeof(vals));
    init_vals();
    CHECK_VALS(s2, "l");
    CHECK_OK(tu_close(c));
}

int
main(void)
{
    TU_RUN(test_no_forged_tombstones);
    return tu_finish();
}
