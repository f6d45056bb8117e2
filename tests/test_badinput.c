/*
 * test_badinput.c -- bad input returns an error code and a message, never a crash:
 * NULL pointers, bad and too-long names, unknown and dropped tables, wrong node indexes, wrong
 * roles, bad configurations, calls in the wrong state, and a cluster closed with sessions,
 * cursors and transactions still open.
 */
#include "util.h"

#include <sys/wait.h>

/* The message of the last error mentions what. */
static int
check_msg_(const char *file, int line, const char *what)
{
    const char *m = lt_last_error();
    if (m != NULL && strstr(m, what) != NULL)
        return 1;
    tu_fail(file, line, "lt_last_error() is \"%s\", expected it to mention \"%s\"",
      m == NULL ? "(null)" : m, what);
    return 0;
}
#define CHECK_MSG(what) check_msg_(__FILE__, __LINE__, (what))

/* void functions given NULL: run in a child so that a crash is a failure, not the end. */
static void
test_void_functions_null(void)
{
    pid_t pid;
    int status = 0;

    fflush(NULL);
    if ((pid = fork()) == 0) {
        lt_cluster_config_init(NULL);
        lt_cursor_set_key(NULL, "k");
        lt_cursor_set_value(NULL, "v", 1);
        _exit(0);
    }
    REQUIRE(pid > 0);
    REQUIRE(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void
test_cluster_open_config(void)
{
    lt_cluster_config cfg;
    lt_cluster *c = NULL, *c2 = NULL;

    CHECK_RC(lt_cluster_open(NULL, &c), EINVAL);
    tu_config(&cfg, 2);
    CHECK_RC(lt_cluster_open(&cfg, NULL), EINVAL);
    cfg.home = NULL;
    CHECK_RC(lt_cluster_open(&cfg, &c), EINVAL);
    tu_config(&cfg, 0);
    CHECK_RC(lt_cluster_open(&cfg, &c), EINVAL);
    tu_config(&cfg, LT_NODES_MAX + 1);
    CHECK_RC(lt_cluster_open(&cfg, &c), EINVAL);
    tu_config(&cfg, -1);
    CHECK_RC(lt_cluster_open(&cfg, &c), EINVAL);
    tu_config(&cfg, 2);
    cfg.policy = (lt_policy)42;
    CHECK_RC(lt_cluster_open(&cfg, &c), EINVAL);
    CHECK(c == NULL);

    /* A home that already holds a database: refused, while open and after close. */
    tu_config(&cfg, 2);
    REQUIRE_OK(lt_cluster_open(&cfg, &c));
    CHECK_ERR(lt_cluster_open(&cfg, &c2));
    CHECK(c2 == NULL);
    CHECK_OK(lt_cluster_close(c));
    c2 = NULL;
    CHECK_ERR(lt_cluster_open(&cfg, &c2));
    if (c2 != NULL)
        lt_cluster_close(c2);
    /* A home that is a file. */
    {
        char path[600];
        FILE *f;
        tu_fresh_path(path, sizeof(path), "file");
        REQUIRE((f = fopen(path, "w")) != NULL);
        fclose(f);
        tu_config(&cfg, 2);
        cfg.home = path;
        c = NULL;
        CHECK_ERR(lt_cluster_open(&cfg, &c));
        CHECK(c == NULL);
    }
    /* Fault bits are accepted in this (LT_FAULTS) build; one node is a valid cluster. */
    tu_config(&cfg, 1);
    cfg.faults = LT_FAULT_DROP_NOT_ATOMIC;
    c = NULL;
    CHECK_OK(lt_cluster_open(&cfg, &c));
    CHECK_OK(lt_cluster_close(c));
    CHECK_OK(lt_cluster_close(NULL));
}

/* Cluster-level calls with NULL pointers and wrong node indexes. */
static void
test_cluster_calls(void)
{
    lt_cluster *c = tu_open(3);
    lt_node_info info;
    lt_hook_stats st;
    lt_policy p;
    uint64_t id, ts;

    REQUIRE(c != NULL);
    CHECK_EQ(lt_cluster_nodes(c), 3);
    CHECK_LE(lt_cluster_nodes(NULL), 0);
    CHECK(lt_cluster_connection(NULL) == NULL);
    CHECK(lt_cluster_connection(c) != NULL);
    CHECK_EQ(lt_cluster_leader(NULL), -1);
    for (int node = -1; node <= 3; node += 4) {
        CHECK_RC(lt_node_get_info(c, node, &info), EINVAL);
        CHECK_RC(lt_step_up(c, node), EINVAL);
        CHECK_RC(lt_step_down(c, node), EINVAL);
        CHECK_RC(lt_checkpoint(c, node, 10, &id), EINVAL);
        CHECK_RC(lt_pickup(c, node, 0), EINVAL);
        CHECK_RC(lt_gc(c, node, NULL), EINVAL);
        CHECK_RC(lt_get_policy(c, node, &p), EINVAL);
        CHECK_RC(lt_hook_get_stats(c, node == -1 ? 7 : node, &st), EINVAL);
    }
    CHECK_RC(lt_set_policy(c, 3, LT_POLICY_WAIT), EINVAL);
    CHECK_RC(lt_set_policy(c, 0, (lt_policy)42), EINVAL);
    CHECK_RC(lt_node_get_info(c, 0, NULL), EINVAL);
    CHECK_RC(lt_node_get_info(NULL, 0, &info), EINVAL);
    CHECK_RC(lt_step_up(NULL, 0), EINVAL);
    CHECK_RC(lt_step_down(NULL, 0), EINVAL);
    CHECK_RC(lt_checkpoint(NULL, 0, 10, &id), EINVAL);
    CHECK_RC(lt_pickup(NULL, 1, 0), EINVAL);
    CHECK_RC(lt_gc(NULL, 1, NULL), EINVAL);
    CHECK_RC(lt_checkpoint_newest(NULL, &id, &ts), EINVAL);
    CHECK_RC(lt_set_policy(NULL, 0, LT_POLICY_WAIT), EINVAL);
    CHECK_RC(lt_get_policy(NULL, 0, &p), EINVAL);
    CHECK_RC(lt_get_policy(c, 0, NULL), EINVAL);
    CHECK_RC(lt_hook_get_stats(NULL, 0, &st), EINVAL);
    CHECK_RC(lt_hook_get_stats(c, 0, NULL), EINVAL);
    /* The quiet cases. */
    CHECK_OK(lt_get_policy(c, 0, &p));
    CHECK_EQ(p, LT_POLICY_REJECT);
    CHECK_OK(lt_set_policy(c, -1, LT_POLICY_WAIT));
    CHECK_OK(lt_get_policy(c, 2, &p));
    CHECK_EQ(p, LT_POLICY_WAIT);
    CHECK_OK(lt_hook_get_stats(c, -1, &st));
    CHECK_OK(lt_checkpoint_newest(c, &id, &ts));
    CHECK_EQ(id, 0);
    CHECK(lt_yield_sites() != NULL && lt_yield_sites()[0] != NULL);
    CHECK_OK(tu_close(c));
}

/* Session, schema and name checks. */
static void
test_sessions_and_names(void)
{
    static const char *const bad[] = {"", "a.b", "a/b", "a b", "layered.x", "t\xc3\xbc", "a:b",
      "x\n", NULL};
    lt_cluster *c = tu_open(2);
    lt_session *s = NULL;
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, 30};
    char longname[LT_NAME_MAX + 2];
    int exists;

    REQUIRE(c != NULL);
    CHECK_RC(lt_session_open(NULL, 0, &s), EINVAL);
    CHECK_RC(lt_session_open(c, 2, &s), EINVAL);
    CHECK_RC(lt_session_open(c, -1, &s), EINVAL);
    CHECK_RC(lt_session_open(c, 0, NULL), EINVAL);
    CHECK_OK(lt_session_close(NULL));
    CHECK_EQ(lt_session_node(NULL), -1);
    REQUIRE((s = tu_session(c, 0)) != NULL);

    for (int i = 0; bad[i] != NULL; i++) {
        if (!CHECK_ERR(lt_create(s, bad[i])))
            tu_note("name \"%s\" was accepted", bad[i]);
        CHECK_RC(lt_table_exists(s, bad[i], &exists), EINVAL);
        CHECK_EQ(exists, 0);
    }
    memset(longname, 'n', sizeof(longname));
    longname[LT_NAME_MAX + 1] = '\0';
    CHECK_ERR(lt_create(s, longname));
    longname[LT_NAME_MAX] = '\0';
    CHECK_OK(lt_create(s, longname)); /* exactly LT_NAME_MAX */
    CHECK_EQ(tu_exists(s, longname), 1);
    CHECK_RC(lt_create(s, NULL), EINVAL);
    CHECK_RC(lt_create(NULL, "t"), EINVAL);
    CHECK_OK(lt_create(s, "t"));
    CHECK_RC(lt_create_cfg(s, "t", "exclusive=true"), EEXIST);
    CHECK_MSG("t");
    CHECK_RC(lt_drop(s, "nope"), ENOENT);
    CHECK_MSG("nope");
    CHECK_MSG("node 0");
    CHECK_RC(lt_drop(s, NULL), EINVAL);
    CHECK_RC(lt_drop(NULL, "t"), EINVAL);
    CHECK_RC(lt_truncate(NULL, "t"), EINVAL);
    REQUIRE_OK(lt_txn_begin(s, &tc));
    CHECK_RC(lt_truncate(s, "nope"), ENOENT);
    CHECK_RC(lt_truncate(s, NULL), EINVAL);
    CHECK_RC(lt_truncate(s, "a.b"), EINVAL);
    lt_txn_rollback(s);
    CHECK_RC(lt_table_exists(NULL, "t", &exists), EINVAL);
    CHECK_RC(lt_table_exists(s, NULL, &exists), EINVAL);
    CHECK_RC(lt_table_exists(s, "t", NULL), EINVAL);
    CHECK_EQ(tu_exists(s, "nope"), 0);
    CHECK_OK(lt_drop(s, "t"));
    CHECK_RC(lt_drop(s, "t"), ENOENT); /* dropped */
    CHECK_OK(tu_close(c));
}

/* Cursor calls with bad arguments; a dropped table; calls on an unpositioned cursor. */
static void
test_cursor_calls(void)
{
    lt_cluster *c = tu_open(2);
    lt_session *s;
    lt_cursor *cur = NULL;
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, 30};
    const char *k;
    const void *v;
    size_t vl;
    int exact;
    char *bigkey, *bigval;
    WT_MODIFY m;

    REQUIRE(c != NULL);
    REQUIRE((s = tu_session(c, 0)) != NULL);
    REQUIRE_OK(lt_create(s, "t"));
    CHECK_RC(lt_cursor_open(NULL, "t", NULL, &cur), EINVAL);
    CHECK_RC(lt_cursor_open(s, NULL, NULL, &cur), EINVAL);
    CHECK_RC(lt_cursor_open(s, "t", NULL, NULL), EINVAL);
    CHECK_RC(lt_cursor_open(s, "nope", NULL, &cur), ENOENT);
    CHECK_MSG("nope");
    CHECK_RC(lt_cursor_open(s, "a.b", NULL, &cur), EINVAL);
    CHECK_RC(lt_cursor_open(s, "t", "bogus=1", &cur), EINVAL);
    CHECK_OK(lt_cursor_close(NULL));
    CHECK_RC(lt_cursor_next(NULL), EINVAL);
    CHECK_RC(lt_cursor_prev(NULL), EINVAL);
    CHECK_RC(lt_cursor_reset(NULL), EINVAL);
    CHECK_RC(lt_cursor_search(NULL), EINVAL);
    CHECK_RC(lt_cursor_search_near(NULL, &exact), EINVAL);
    CHECK_RC(lt_cursor_largest_key(NULL), EINVAL);
    CHECK_RC(lt_cursor_insert(NULL), EINVAL);
    CHECK_RC(lt_cursor_update(NULL), EINVAL);
    CHECK_RC(lt_cursor_remove(NULL), EINVAL);
    CHECK_RC(lt_cursor_modify(NULL, &m, 1), EINVAL);
    CHECK_RC(lt_cursor_get_key(NULL, &k), EINVAL);
    CHECK_RC(lt_cursor_get_value(NULL, &v, &vl), EINVAL);

    REQUIRE_OK(lt_cursor_open(s, "t", "overwrite=true", &cur));
    CHECK_ERR(lt_cursor_get_key(cur, &k)); /* unpositioned */
    CHECK_ERR(lt_cursor_get_value(cur, &v, &vl));
    CHECK_RC(lt_cursor_get_key(cur, NULL), EINVAL);
    CHECK_RC(lt_cursor_search(cur), EINVAL); /* no key set */
    REQUIRE_OK(lt_txn_begin(s, &tc));
    lt_cursor_set_key(cur, "k");
    CHECK_RC(lt_cursor_insert(cur), EINVAL); /* no value set */
    lt_cursor_set_key(cur, NULL);
    lt_cursor_set_value(cur, "v", 1);
    CHECK_RC(lt_cursor_insert(cur), EINVAL);
    CHECK_RC(lt_cursor_search(cur), EINVAL);
    bigkey = malloc(LT_KEY_MAX + 2);
    memset(bigkey, 'k', LT_KEY_MAX + 1);
    bigkey[LT_KEY_MAX + 1] = '\0';
    lt_cursor_set_key(cur, bigkey);
    lt_cursor_set_value(cur, "v", 1);
    CHECK_RC(lt_cursor_insert(cur), EINVAL);
    bigkey[LT_KEY_MAX] = '\0'; /* exactly LT_KEY_MAX: fine */
    lt_cursor_set_key(cur, bigkey);
    lt_cursor_set_value(cur, "v", 1);
    CHECK_OK(lt_cursor_insert(cur));
    bigval = calloc(1, LT_VALUE_MAX + 1);
    lt_cursor_set_key(cur, "k");
    lt_cursor_set_value(cur, bigval, LT_VALUE_MAX + 1);
    CHECK_RC(lt_cursor_insert(cur), EINVAL);
    lt_cursor_set_key(cur, "k");
    lt_cursor_set_value(cur, NULL, 5);
    CHECK_RC(lt_cursor_insert(cur), EINVAL);
    lt_cursor_set_key(cur, "k");
    lt_cursor_set_value(cur, bigval, LT_VALUE_MAX); /* exactly LT_VALUE_MAX: fine */
    CHECK_OK(lt_cursor_insert(cur));
    lt_cursor_set_key(cur, "k");
    CHECK_OK(lt_cursor_search(cur));
    CHECK_OK(lt_cursor_get_value(cur, &v, &vl));
    CHECK_EQ(vl, LT_VALUE_MAX);
    CHECK_RC(lt_cursor_get_value(cur, NULL, &vl), EINVAL);
    CHECK_RC(lt_cursor_search_near(cur, NULL), EINVAL);
    CHECK_RC(lt_cursor_modify(cur, NULL, 1), EINVAL);
    memset(&m, 0, sizeof(m));
    CHECK_RC(lt_cursor_modify(cur, &m, -1), EINVAL);
    CHECK_OK(lt_txn_commit(s, 0));
    free(bigkey);
    free(bigval);
    CHECK_OK(lt_cursor_close(cur));

    /* A dropped table. */
    CHECK_OK(lt_drop(s, "t"));
    CHECK_RC(lt_cursor_open(s, "t", NULL, &cur), ENOENT);
    CHECK_OK(tu_close(c));
}

/* Helpers and names. */
static void
test_names(void)
{
    static const char *const pn[] = {"reject", "wait", "assert", "off"};
    lt_policy p;

    for (int i = 0; i < 4; i++) {
        CHECK_OK(lt_policy_parse(pn[i], &p));
        CHECK_EQ(p, i);
        CHECK_EQ_STR(lt_policy_name((lt_policy)i), pn[i]);
    }
    CHECK_RC(lt_policy_parse("bogus", &p), EINVAL);
    CHECK_RC(lt_policy_parse(NULL, &p), EINVAL);
    CHECK_RC(lt_policy_parse("wait", NULL), EINVAL);
    CHECK(lt_policy_name((lt_policy)42) != NULL);
    CHECK(strstr(lt_strerror(WT_NOTFOUND), "NOTFOUND") != NULL);
    CHECK(strstr(lt_strerror(EBUSY), "EBUSY") != NULL);
    CHECK(lt_strerror(0) != NULL);
    CHECK(lt_strerror(123456) != NULL);
    CHECK(lt_strerror(-123456) != NULL);
    CHECK(lt_event_name((lt_event_type)999) != NULL);
    CHECK(lt_op_name((lt_op)999) != NULL);
    CHECK(lt_role_name((lt_role)7) != NULL);
    CHECK_EQ_STR(lt_event_name(LT_EV_TRANSITION_END), lt_event_name(LT_EV_TRANSITION_END));
    CHECK(lt_last_error() != NULL);
}

/* Closing a cluster with sessions, positioned cursors and open transactions still open. */
static void
test_close_with_open_objects(void)
{
    lt_cluster *c = tu_open(3);
    lt_session *s0, *s1, *s2;
    lt_cursor *c0, *c1;
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, 30};

    REQUIRE(c != NULL);
    REQUIRE(tu_setup_table(c, "t", 10, "a=1 b=2", 20) != 0);
    REQUIRE((s0 = tu_session(c, 0)) != NULL);
    REQUIRE((s1 = tu_session(c, 1)) != NULL);
    REQUIRE((s2 = tu_session(c, 2)) != NULL);
    CHECK_OK(tu_write(s1, "t", 25, "c=3"));
    REQUIRE_OK(lt_cursor_open(s0, "t", NULL, &c0));
    CHECK_CUR_KEY(lt_cursor_next(c0), c0, "a");
    REQUIRE_OK(lt_txn_begin(s1, &tc));
    REQUIRE_OK(lt_cursor_open(s1, "t", NULL, &c1));
    lt_cursor_set_key(c1, "z");
    lt_cursor_set_value(c1, "26", 2);
    CHECK_OK(lt_cursor_insert(c1));
    CHECK_CUR_KEY(lt_cursor_next(c1), c1, "a");
    /* A session closed with its cursor open closes it. */
    {
        lt_cursor *c2;
        REQUIRE_OK(lt_cursor_open(s2, "t", NULL, &c2));
        CHECK_CUR_KEY(lt_cursor_next(c2), c2, "a");
        CHECK_OK(lt_session_close(s2));
    }
    CHECK_OK(tu_close(c));
}

int
main(void)
{
    TU_RUN(test_void_functions_null); /* first: it forks */
    TU_RUN(test_cluster_open_config);
    TU_RUN(test_cluster_calls);
    TU_RUN(test_sessions_and_names);
    TU_RUN(test_cursor_calls);
    TU_RUN(test_names);
    TU_RUN(test_close_with_open_objects);
    return tu_finish();
}
