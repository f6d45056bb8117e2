/*
 * up_stepup.c -- upstream's step-up tests: a follower's modified values survive the drain of its
 * ingest into stable, including values in the byte range upstream's ingest uses to encode
 * removals ("\x14\x14...").
 *
 * Re-expressed from wiredtiger/wiredtiger test/suite/test_layered_stepup_drain_modify.py at
 * commit 8375517ad7a2d05ee96c6e265e8aaba255db17fc. Upstream closes the leader without a
 * checkpoint; here the leader steps down.
 */
#include "up_util.h"

typedef struct {
    const char *base;
    size_t base_len;
    const char *data;
    size_t data_len, offset, size;
    const char *expected;
    size_t expected_len;
} drain_mod;

#define B(s) s, sizeof(s) - 1

/* The value of key "k" on s equals (exp, len). */
static void
check_value(lt_session *s, const char *exp, size_t len)
{
    lt_cursor *cur;
    const void *v;
    size_t n;

    if (!CHECK_OK(lt_cursor_open(s, UP_T, NULL, &cur)))
        return;
    lt_cursor_set_key(cur, "k");
    if (CHECK_OK(lt_cursor_search(cur)) && CHECK_OK(lt_cursor_get_value(cur, &v, &n)))
        CHECK(n == len && memcmp(v, exp, len) == 0);
    lt_cursor_close(cur);
}

/*
 * test_layered_stepup_drain_modify.py::test_stepup_drain_after_modify: a follower writes a value
 * at 10 and modifies it at 20; after the leader steps down, the follower steps up and
 * checkpoints at 20, the value reads the same.
 */
static void
drain_modify(const void *arg)
{
    const drain_mod *sp = arg;
    up_env e;
    lt_cursor *cur;
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, 10};
    WT_MODIFY m;

    REQUIRE(up_env_open(&e, 1));
    REQUIRE_OK(lt_cursor_open(e.s1, UP_T, NULL, &cur));
    REQUIRE_OK(lt_txn_begin(e.s1, &tc));
    lt_cursor_set_key(cur, "k");
    lt_cursor_set_value(cur, sp->base, sp->base_len);
    CHECK_OK(lt_cursor_insert(cur));
    REQUIRE_OK(lt_txn_commit(e.s1, 0));
    memset(&m, 0, sizeof(m));
    m.data.data = sp->data;
    m.data.size = sp->data_len;
    m.offset = sp->offset;
    m.size = sp->size;
    tc.commit_ts = 20;
    REQUIRE_OK(lt_txn_begin(e.s1, &tc));
    lt_cursor_set_key(cur, "k");
    CHECK_OK(lt_cursor_modify(cur, &m, 1));
    REQUIRE_OK(lt_txn_commit(e.s1, 0));
    lt_cursor_close(cur);
    check_value(e.s1, sp->expected, sp->expected_len);
    REQUIRE_OK(lt_step_down(e.c, 0));
    REQUIRE_OK(lt_step_up(e.c, 1));
    CHECK(tu_checkpoint(e.c, 1, 20) != 0);
    check_value(e.s1, sp->expected, sp->expected_len);
}

static const drain_mod into = {B("ab\xff\xff\x00"), B("\x14\x14"), 0, 2, B("\x14\x14\xff\xff\x00")};
static const drain_mod out_of = {B("\x14\x14"
                                   "abc"),
  B("zz"), 0, 2, B("zzabc")};
static const drain_mod within = {B("\x14\x14"
                                   "abc"),
  B("X"), 2, 1,
  B("\x14\x14"
    "Xbc")};
static const drain_mod exact = {B("\x14\x14"
                                  "X"),
  B(""), 2, 1, B("\x14\x14")};
static const drain_mod outside = {B("plain"), B("\xaa"), 5, 0, B("plain\xaa")};

#define T(s) "test_layered_stepup_drain_modify.py::test_stepup_drain_after_modify[" s "]"

static const up_case cases[] = {
  {T("into_namespace"), drain_modify, &into},
  {T("out_of_namespace"), drain_modify, &out_of},
  {T("within_namespace"), drain_modify, &within},
  {T("to_exact_tombstone"), drain_modify, &exact},
  {T("outside_namespace"), drain_modify, &outside},
};

int
main(int argc, char **argv)
{
    return up_main(cases, UP_NELEM(cases), "up_stepup", argc, argv);
}
