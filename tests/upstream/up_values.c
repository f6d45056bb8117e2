/*
 * up_values.c -- upstream's tests of values in the byte range its ingest uses to encode removals
 * (a value that begins with the two-byte marker 0x14 0x14 is escaped there): such values and
 * modifies that move a value into or out of that range read back as written, on the leader and
 * on a follower.
 *
 * Re-expressed from wiredtiger/wiredtiger test/suite/test_layered_tombstone_value.py at commit
 * 82e86228b8d86cc416ec424ffcc9709495a36402. Upstream also counts the encoded forms in statistics
 * and through verify; only the values read back are checked here (liblayered tags ingest values
 * with a byte of its own rather than escaping a marker).
 */
#include "up_util.h"

typedef struct {
    const char *p;
    size_t n;
} up_bytes;

#define B(s)               \
    {                      \
        (s), sizeof(s) - 1 \
    }

/* Read key i (up_key) at read_ts in s: its value equals want. */
static void
check_at(lt_session *s, int i, uint64_t read_ts, up_bytes want)
{
    lt_txn_config tc = {LT_ISO_SNAPSHOT, read_ts, 0};
    lt_cursor *cur;
    const void *v;
    size_t n;

    if (!CHECK_OK(lt_txn_begin(s, &tc)))
        return;
    if (CHECK_OK(lt_cursor_open(s, UP_T, NULL, &cur))) {
        lt_cursor_set_key(cur, up_k(i));
        if (CHECK_OK(lt_cursor_search(cur)) && CHECK_OK(lt_cursor_get_value(cur, &v, &n)) &&
          !CHECK(n == want.n && memcmp(v, want.p, n) == 0))
            tu_note("key %d: %zu bytes read, %zu expected", i, n, want.n);
        lt_cursor_close(cur);
    }
    lt_txn_rollback(s);
}

/* Keys 1..n get vals[0..n) in one transaction at ts. */
static int
put_all(lt_session *s, const up_bytes *vals, int n, uint64_t ts)
{
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, ts};
    lt_cursor *cur;
    int i, rc;

    if ((rc = lt_txn_begin(s, &tc)) != 0)
        return rc;
    if ((rc = lt_cursor_open(s, UP_T, NULL, &cur)) == 0) {
        for (i = 0; i < n && rc == 0; i++) {
            lt_cursor_set_key(cur, up_k(i + 1));
            lt_cursor_set_value(cur, vals[i].p, vals[i].n);
            rc = lt_cursor_insert(cur);
        }
        lt_cursor_close(cur);
    }
    if (rc != 0) {
        lt_txn_rollback(s);
        return rc;
    }
    return lt_txn_commit(s, 0);
}

/*
 * test_stable_value_categories: the leader writes a plain value, the bare marker, three marker
 * bytes and the marker followed by "ab" at 10; each reads back at 10 as written.
 */
static void
value_categories(const void *arg)
{
    static const up_bytes items[] = {B("hello"), B("\x14\x14"), B("\x14\x14\x14"),
      B("\x14\x14"
        "ab")};
    up_env e;

    (void)arg;
    REQUIRE(up_env_open(&e, 0));
    REQUIRE_OK(put_all(e.s0, items, 4, 10));
    for (int i = 0; i < 4; i++)
        check_at(e.s0, i + 1, 10, items[i]);
}

/*
 * test_stable_modify_into_namespace / test_ingest_modify_into_namespace: values written at 10
 * and modified at 20 into the marker range ("ab" -> marker, "abcd" -> marker + "cd") and out of
 * it (marker + "ab" -> "a" 0x14 "ab"), read at 20; on the leader, or on a node that checkpointed
 * and then became a follower (upstream reopens its connection as a follower).
 */
static void
modify_namespace(const void *arg)
{
    static const up_bytes base[] = {B("ab"), B("abcd"),
      B("\x14\x14"
        "ab")};
    static const up_bytes result[] = {B("\x14\x14"),
      B("\x14\x14"
        "cd"),
      B("a\x14"
        "ab")};
    static const struct {
        up_bytes data;
        size_t offset, size;
    } mods[] = {{B("\x14\x14"), 0, 2}, {B("\x14\x14"), 0, 2}, {B("a"), 0, 1}};
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, 20};
    const int *follower = arg;
    lt_cursor *cur;
    WT_MODIFY m;
    up_env e;

    REQUIRE(up_env_open(&e, 0));
    if (*follower) {
        REQUIRE(tu_checkpoint(e.c, 0, 5) != 0);
        REQUIRE_OK(lt_step_down(e.c, 0));
    }
    REQUIRE_OK(put_all(e.s0, base, 3, 10));
    REQUIRE_OK(lt_txn_begin(e.s0, &tc));
    REQUIRE_OK(lt_cursor_open(e.s0, UP_T, NULL, &cur));
    for (int i = 0; i < 3; i++) {
        memset(&m, 0, sizeof(m));
        m.data.data = mods[i].data.p;
        m.data.size = mods[i].data.n;
        m.offset = mods[i].offset;
        m.size = mods[i].size;
        lt_cursor_set_key(cur, up_k(i + 1));
        CHECK_OK(lt_cursor_modify(cur, &m, 1));
    }
    lt_cursor_close(cur);
    REQUIRE_OK(lt_txn_commit(e.s0, 0));
    for (int i = 0; i < 3; i++)
        check_at(e.s0, i + 1, 20, result[i]);
}

static const int on_leader = 0, on_follower = 1;

#define T(m) "test_layered_tombstone_value.py::test_" m

static const up_case cases[] = {
  {T("stable_value_categories"), value_categories, NULL},
  {T("stable_modify_into_namespace"), modify_namespace, &on_leader},
  {T("ingest_modify_into_namespace"), modify_namespace, &on_follower},
};

int
main(int argc, char **argv)
{
    return up_main(cases, UP_NELEM(cases), "up_values", argc, argv);
}
