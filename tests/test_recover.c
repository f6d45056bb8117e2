/*
 * test_recover.c -- reopening a cluster home (lt_cluster_config.recover; layered/DESIGN.md,
 * "Recovery after a kill"). A child process writes, publishes checkpoints and kills itself with
 * SIGKILL, never closing; the parent reopens the home: every node is a follower at the newest
 * published checkpoint, serving its rows and nothing above it, and the cluster works on. The fault
 * LT_FAULT_ACK_BEFORE_DURABLE loses an acknowledged checkpoint; bad homes are clear errors.
 */
#include "util.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

/* The child's work: 2 = step failed. Publishes checkpoints 1 (ts 20) and, if two, 2 (ts 40). */
static int
child_work(const char *home, unsigned faults, bool two)
{
    lt_cluster_config cfg;
    lt_cluster *c;
    lt_session *s;
    uint64_t id;

    lt_cluster_config_init(&cfg);
    cfg.home = home;
    cfg.faults = faults;
    if (lt_cluster_open(&cfg, &c) != 0 || lt_step_up(c, 0) != 0 || lt_session_open(c, 0, &s) != 0 ||
      lt_create(s, "t") != 0 || lt_create(s, "u") != 0 || tu_write(s, "t", 10, "a=1 b=2") != 0 ||
      lt_checkpoint(c, 0, 20, &id) != 0 || id != 1 || tu_write(s, "t", 30, "c=3 -a") != 0)
        return (2);
    if (two && (lt_checkpoint(c, 0, 40, &id) != 0 || id != 2))
        return (2);
    /* Above every checkpoint: lost with the process until the application replays it. */
    if (tu_write(s, "t", 50, "d=4") != 0 || lt_create(s, "v") != 0 || lt_drop(s, "u") != 0)
        return (2);
    (void)raise(SIGKILL); /* no close: WiredTiger and the library stop where they are */
    return (2);
}

/* Fork the child and require that SIGKILL ended it. */
static bool
killed_child(const char *home, unsigned faults, bool two)
{
    pid_t pid;
    int status;

    fflush(NULL);
    if ((pid = fork()) == 0)
        _exit(child_work(home, faults, two));
    if (!CHECK(pid > 0) || !CHECK(waitpid(pid, &status, 0) == pid))
        return (false);
    return (CHECK_EQ(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, 1));
}

static lt_cluster *
reopen(const char *home, int nodes, unsigned faults)
{
    lt_cluster_config cfg;
    lt_cluster *c = NULL;

    lt_cluster_config_init(&cfg);
    cfg.home = home;
    cfg.nodes = nodes;
    cfg.faults = faults;
    cfg.recover = 1;
    return (CHECK_OK(lt_cluster_open(&cfg, &c)) ? c : NULL);
}

static void
check_followers(lt_cluster *c, uint64_t id, uint64_t ts, int tables)
{
    lt_node_info info;
    int i;

    CHECK_EQ(lt_cluster_leader(c), -1);
    for (i = 0; i < lt_cluster_nodes(c); i++) {
        if (!CHECK_OK(lt_node_get_info(c, i, &info)))
            continue;
        CHECK_EQ(info.role, LT_FOLLOWER);
        CHECK_EQ(info.checkpoint_id, id);
        CHECK_EQ(info.checkpoint_ts, ts);
        CHECK_EQ(info.tables, tables);
    }
}

static void
test_recover_after_kill(void)
{
    char home[512];
    lt_cluster *c;
    lt_session *s0, *s2;
    uint64_t id;
    int exists;

    tu_fresh_path(home, sizeof(home), "db");
    if (!killed_child(home, 0, true))
        return;
    REQUIRE((c = reopen(home, 3, 0)) != NULL);
    check_followers(c, 2, 40, 2);
    REQUIRE((s2 = tu_session(c, 2)) != NULL);
    CHECK_SCAN(s2, "t", "b=2 c=3"); /* checkpoint 2's rows; d=4 (ts 50) is gone */
    CHECK_OK(lt_table_exists(s2, "u", &exists));
    CHECK_EQ(exists, 1); /* its drop came after the checkpoint: the application replays it */
    CHECK_OK(lt_table_exists(s2, "v", &exists));
    CHECK_EQ(exists, 0);
    /* The application's replay of ts 50 on a follower, then the cluster goes on. */
    CHECK_OK(tu_write(s2, "t", 50, "d=4"));
    CHECK_SCAN(s2, "t", "b=2 c=3 d=4");
    REQUIRE_OK(lt_step_up(c, 2));
    CHECK_SCAN(s2, "t", "b=2 c=3 d=4");
    REQUIRE_OK(lt_create(s2, "w"));
    REQUIRE_OK(lt_checkpoint(c, 2, 60, &id));
    CHECK_EQ(id, 3);
    REQUIRE((s0 = tu_session(c, 0)) != NULL);
    REQUIRE_OK(lt_pickup(c, 0, id));
    CHECK_SCAN(s0, "t", "b=2 c=3 d=4");
    lt_session_close(s0);
    lt_session_close(s2);
    REQUIRE_OK(lt_cluster_close(c));
    /* A closed home recovers too, at the newest checkpoint, with its new table. */
    REQUIRE((c = reopen(home, 3, 0)) != NULL);
    check_followers(c, 3, 60, 3);
    REQUIRE((s0 = tu_session(c, 0)) != NULL);
    CHECK_SCAN(s0, "t", "b=2 c=3 d=4");
    lt_session_close(s0);
    CHECK_OK(lt_cluster_close(c));
}

/* No checkpoint published: recovered empty, every node a follower with nothing. */
static void
test_recover_fault_loses_checkpoint(void)
{
    char home[512];
    lt_cluster *c;
    lt_session *s;
    int exists;

    tu_fresh_path(home, sizeof(home), "db");
    if (!killed_child(home, 0, false))
        return;
    REQUIRE((c = reopen(home, 3, 0)) != NULL);
    check_followers(c, 1, 20, 2); /* without the fault, checkpoint 1 is there */
    CHECK_OK(lt_cluster_close(c));

    tu_fresh_path(home, sizeof(home), "db");
    if (!killed_child(home, LT_FAULT_ACK_BEFORE_DURABLE, false))
        return;
    REQUIRE((c = reopen(home, 3, LT_FAULT_ACK_BEFORE_DURABLE)) != NULL);
    check_followers(c, 0, 0, 0); /* acknowledged, never durable: its rows are lost */
    REQUIRE((s = tu_session(c, 1)) != NULL);
    CHECK_OK(lt_table_exists(s, "t", &exists));
    CHECK_EQ(exists, 0);
    lt_session_close(s);
    CHECK_OK(lt_cluster_close(c));
}

static void
test_recover_bad_homes(void)
{
    char home[512], path[600];
    lt_cluster_config cfg;
    WT_CONNECTION *conn;
    lt_cluster *c = NULL;
    FILE *f;

    tu_fresh_path(home, sizeof(home), "db");
    lt_cluster_config_init(&cfg);
    cfg.home = home;
    cfg.recover = 1;
    CHECK_RC(lt_cluster_open(&cfg, &c), ENOENT); /* nothing there */
    /* A WiredTiger database that no cluster made. */
    REQUIRE(mkdir(home, 0755) == 0);
    REQUIRE_OK(wiredtiger_open(home, NULL, "create", &conn));
    REQUIRE_OK(conn->close(conn, NULL));
    CHECK_RC(lt_cluster_open(&cfg, &c), EINVAL);
    cfg.recover = 0;
    CHECK_RC(lt_cluster_open(&cfg, &c), EEXIST); /* a fresh open still wants a fresh home */
    /* Not a database at all. */
    tu_fresh_path(home, sizeof(home), "db");
    REQUIRE(mkdir(home, 0755) == 0);
    (void)snprintf(path, sizeof(path), "%s/WiredTiger", home);
    REQUIRE((f = fopen(path, "w")) != NULL);
    (void)fputs("not a database\n", f);
    (void)fclose(f);
    cfg.recover = 1;
    CHECK(lt_cluster_open(&cfg, &c) != 0);
    CHECK(c == NULL);
    /* Another cluster size than the home's. */
    tu_fresh_path(home, sizeof(home), "db");
    cfg.recover = 0;
    cfg.nodes = 2;
    REQUIRE_OK(lt_cluster_open(&cfg, &c));
    REQUIRE_OK(lt_cluster_close(c));
    c = NULL;
    cfg.recover = 1;
    cfg.nodes = 3;
    CHECK_RC(lt_cluster_open(&cfg, &c), EINVAL);
    cfg.nodes = 2;
    REQUIRE_OK(lt_cluster_open(&cfg, &c));
    check_followers(c, 0, 0, 0);
    CHECK_OK(lt_cluster_close(c));
}

int
main(void)
{
    TU_RUN(test_recover_after_kill);
    TU_RUN(test_recover_fault_loses_checkpoint);
    TU_RUN(test_recover_bad_homes);
    return (tu_finish());
}
