/*
 * test_stress_truncate.c -- the stress job's per-node truncate (lr_truncate_table, the schema
 * workers' and the restarter's) on the test-only library: it truncates at the logical operation's
 * stamp, a table the node lacks is nothing to do, and a session from before a restart of the node
 * gets ESTALE (so the worker renews it and truncates again) instead of a success that left the
 * node's rows in place while the oracle forgot them: the stress job's I1 on a restarted follower
 * serving a truncated row.
 */
#include "util.h"

#include "stress/engine_int.h"

/* A follower's session from before its restart: ESTALE, and the rows stay until it truncates. */
static void
test_truncate_stale_session(void)
{
    lt_cluster *c;
    lt_session *s0, *stale, *fresh;
    char err[256] = "";

    REQUIRE((c = tu_open(2)) != NULL);
    REQUIRE(tu_setup_table(c, "t", 10, "a=1 b=2", 20) != 0);
    REQUIRE((s0 = tu_session(c, 0)) != NULL);
    REQUIRE((stale = tu_session(c, 1)) != NULL);
    /* c=3 at 30 on the leader and its copy in node 1's ingest. */
    REQUIRE_OK(tu_write(s0, "t", 30, "c=3"));
    REQUIRE_OK(tu_write(stale, "t", 30, "c=3"));

    REQUIRE_OK(lt_node_restart(c, 1));
    REQUIRE((fresh = tu_session(c, 1)) != NULL);
    /* The application's replay of the restarted node's log: c=3 at 30. */
    REQUIRE_OK(tu_write(fresh, "t", 30, "c=3"));
    CHECK_SCAN(fresh, "t", "a=1 b=2 c=3");

    /* The logical truncate at 40 reaches node 1 through the old session: not done there. */
    CHECK_RC(lr_truncate_table(stale, "t", 40, err, sizeof(err)), ESTALE);
    CHECK_SCAN(fresh, "t", "a=1 b=2 c=3");
    /* Renewed, it truncates the follower; the leader's copy of the operation, the leader. */
    CHECK_OK(lr_truncate_table(fresh, "t", 40, err, sizeof(err)));
    CHECK_OK(lr_truncate_table(s0, "t", 40, err, sizeof(err)));
    CHECK_SCAN(fresh, "t", "");
    CHECK_SCAN(s0, "t", "");
    CHECK(err[0] == '\0');

    lt_session_close(stale);
    lt_session_close(fresh);
    lt_session_close(s0);
    CHECK_OK(tu_close(c));
}

/* The stamp is the commit timestamp; a table the node lacks is no error; a failure says why. */
static void
test_truncate_stamp_and_absent(void)
{
    lt_cluster *c;
    lt_session *s0, *s1;
    char err[256] = "";

    REQUIRE((c = tu_open(2)) != NULL);
    REQUIRE(tu_setup_table(c, "t", 10, "a=1 b=2", 20) != 0);
    REQUIRE((s0 = tu_session(c, 0)) != NULL);
    REQUIRE((s1 = tu_session(c, 1)) != NULL);
    REQUIRE_OK(tu_write(s1, "t", 30, "c=3"));

    CHECK_OK(lr_truncate_table(s1, "nosuch", 40, err, sizeof(err)));
    CHECK_OK(lr_truncate_table(s1, "t", 40, err, sizeof(err)));
    CHECK_SCAN(s1, "t", "");
    /* Before the truncate's stamp the follower's own write still shows (its history). */
    CHECK_SCAN_AT(s1, "t", 35, "a=1 b=2 c=3");
    /* At or below the node's checkpoint timestamp: refused, the message kept, nothing removed. */
    CHECK_RC(lr_truncate_table(s0, "t", 20, err, sizeof(err)), EINVAL);
    CHECK(err[0] != '\0');
    CHECK_SCAN(s0, "t", "a=1 b=2");

    lt_session_close(s0);
    lt_session_close(s1);
    CHECK_OK(tu_close(c));
}

int
main(void)
{
    TU_RUN(test_truncate_stale_session);
    TU_RUN(test_truncate_stamp_and_absent);
    return (tu_finish());
}
