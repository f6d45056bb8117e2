/*
 * test_follower_lag.c -- a follower applies operations from its log while its view lags the
 * leader's commits (it reads an older checkpoint): what it applied must hold once it picks up a
 * checkpoint the leader took before the same operation, and after it steps up.
 */
#include "util.h"

static int
truncate_at(lt_session *s, const char *table, uint64_t ts)
{
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, ts};
    int rc;

    if ((rc = lt_txn_begin(s, &tc)) != 0)
        return rc;
    if ((rc = lt_truncate(s, table)) != 0) {
        (void)lt_txn_rollback(s);
        return rc;
    }
    return lt_txn_commit(s, 0);
}

/* Table t on both nodes, then n written on the leader (node 0) and, from its log, the follower. */
static bool
lag_setup(lt_cluster *c, lt_session **s0p, lt_session **s1p)
{
    return (tu_setup_table(c, "t", 10, "a=1", 15) != 0 && (*s0p = tu_session(c, 0)) != NULL &&
      (*s1p = tu_session(c, 1)) != NULL && CHECK_OK(tu_write(*s0p, "t", 20, "n=L")) &&
      CHECK_OK(tu_write(*s1p, "t", 20, "n=L")));
}

/*
 * The leader writes n after the follower's checkpoint, takes a checkpoint that holds n, then
 * truncates; the follower truncates from its log before it picks that checkpoint up. Its truncate
 * came after n: once it reads that checkpoint, n must stay gone, and after it steps up too.
 */
static void
test_follower_truncate_ahead_of_view(void)
{
    lt_cluster *c = tu_open(2);
    lt_session *s0, *s1;
    uint64_t id;

    REQUIRE(c != NULL && lag_setup(c, &s0, &s1));
    REQUIRE((id = tu_checkpoint(c, 0, 25)) != 0);
    CHECK_OK(truncate_at(s0, "t", 30));
    CHECK_OK(truncate_at(s1, "t", 31));
    CHECK_SCAN(s1, "t", "");
    CHECK_OK(lt_pickup(c, 1, id));
    CHECK_SCAN(s1, "t", "");
    REQUIRE_OK(lt_step_down(c, 0));
    REQUIRE_OK(lt_step_up(c, 1));
    CHECK_SCAN(s1, "t", "");
    CHECK_OK(tu_close(c));
}

/*
 * The same with the roles swapped in between: node 0 leads when it writes n (its copy is in
 * stable, not in its ingest), then steps down; the new leader checkpoints n and truncates; node 0
 * truncates from its log while it still reads the checkpoint before n, then picks up the one with
 * n. Its truncate came after n: n must stay gone.
 */
static void
test_old_leader_truncate_ahead_of_view(void)
{
    lt_cluster *c = tu_open(2);
    lt_session *s0, *s1;
    uint64_t id;

    REQUIRE(c != NULL && lag_setup(c, &s0, &s1));
    REQUIRE_OK(lt_step_down(c, 0));
    REQUIRE_OK(lt_step_up(c, 1));
    REQUIRE((id = tu_checkpoint(c, 1, 25)) != 0);
    CHECK_OK(truncate_at(s1, "t", 30));
    CHECK_OK(truncate_at(s0, "t", 31));
    CHECK_SCAN(s0, "t", "");
    CHECK_OK(lt_pickup(c, 0, id));
    CHECK_SCAN(s0, "t", "");
    REQUIRE_OK(lt_step_down(c, 1));
    REQUIRE_OK(lt_step_up(c, 0));
    CHECK_SCAN(s0, "t", "");
    CHECK_OK(tu_close(c));
}

int
main(void)
{
    TU_RUN(test_follower_truncate_ahead_of_view);
    TU_RUN(test_old_leader_truncate_ahead_of_view);
    return tu_finish();
}
