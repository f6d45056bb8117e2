/*
 * test_errors.c -- the error API: the per-thread last error is cleared by every call that
 * returns an error code and describes only the thread's latest call; lt_strerror names every
 * errno and WiredTiger code; lt_table_exists reports its failures.
 */
#include "util.h"

/* The calling thread's last error is "" (the latest call succeeded). */
#define CHECK_NO_ERROR() CHECK_EQ_STR(lt_last_error(), "")
/* The latest call failed and its message mentions what. */
#define CHECK_ERROR_SAYS(what) CHECK(strstr(lt_last_error(), (what)) != NULL)

/* After a failure, each kind of successful call leaves no message behind. */
static void
test_success_clears_last_error(void)
{
    lt_cluster *c = tu_open(2);
    lt_session *s;
    lt_cursor *cur = NULL, *none = NULL;
    lt_node_info info;
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, 30};
    lt_policy p;
    int exists;

    REQUIRE(c != NULL);
    REQUIRE((s = tu_session(c, 0)) != NULL);
    REQUIRE_OK(lt_create(s, "t"));
    CHECK_OK(tu_write(s, "t", 10, "a=1"));

    /* Schema operations. */
    CHECK_RC(lt_create_cfg(s, "t", "exclusive=true"), EEXIST);
    CHECK_ERROR_SAYS("EEXIST");
    CHECK_OK(lt_create(s, "u"));
    CHECK_NO_ERROR();
    CHECK_RC(lt_drop(s, "nope"), ENOENT);
    CHECK_OK(lt_drop(s, "u"));
    CHECK_NO_ERROR();

    /* Node-level calls. */
    CHECK_RC(lt_node_get_info(c, 7, &info), EINVAL);
    CHECK_ERROR_SAYS("node");
    CHECK_OK(lt_node_get_info(c, 0, &info));
    CHECK_NO_ERROR();
    CHECK_RC(lt_get_policy(c, 9, &p), EINVAL);
    CHECK_OK(lt_set_policy(c, -1, LT_POLICY_REJECT));
    CHECK_NO_ERROR();
    CHECK_RC(lt_policy_parse("bogus", &p), EINVAL);
    CHECK_OK(lt_policy_parse("wait", &p));
    CHECK_NO_ERROR();

    /* lt_table_exists, answering either way. */
    CHECK_RC(lt_table_exists(s, "a.b", &exists), EINVAL);
    CHECK_OK(lt_table_exists(s, "nope", &exists));
    CHECK_EQ(exists, 0);
    CHECK_NO_ERROR();

    /* Cursors. */
    REQUIRE_OK(lt_cursor_open(s, "t", NULL, &cur));
    lt_cursor_set_key(cur, "zz");
    CHECK_RC(lt_cursor_search(cur), WT_NOTFOUND);
    lt_cursor_set_key(cur, "b");
    lt_cursor_set_value(cur, "2", 1);
    CHECK_RC(lt_cursor_insert(cur), EINVAL); /* no transaction */
    CHECK_ERROR_SAYS("transaction");
    lt_cursor_set_key(cur, "a");
    CHECK_OK(lt_cursor_search(cur));
    CHECK_NO_ERROR();
    CHECK_RC(lt_cursor_get_key(NULL, NULL), EINVAL);
    CHECK_OK(lt_cursor_reset(cur));
    CHECK_NO_ERROR();
    CHECK_RC(lt_cursor_get_value(cur, NULL, NULL), EINVAL);
    CHECK_OK(lt_cursor_next(cur));
    CHECK_NO_ERROR();
    CHECK_RC(lt_cursor_open(s, "nope", NULL, &none), ENOENT);
    CHECK_OK(lt_cursor_close(NULL)); /* safe on NULL, and a success */
    CHECK_NO_ERROR();

    /* Transactions. */
    CHECK_RC(lt_txn_commit(s, 0), EINVAL); /* none active */
    CHECK_OK(lt_txn_begin(s, &tc));
    CHECK_NO_ERROR();
    CHECK_RC(lt_txn_begin(s, &tc), EINVAL); /* already active */
    CHECK_OK(lt_txn_rollback(s));
    CHECK_NO_ERROR();

    /* Checkpoints and transitions. */
    CHECK_RC(lt_pickup(c, 0, 0), EINVAL); /* the leader does not pick up */
    CHECK_ERROR_SAYS("pickup");
    CHECK(tu_checkpoint(c, 0, 20) != 0);
    CHECK_NO_ERROR();
    CHECK_RC(lt_step_up(c, 0), EINVAL); /* already the leader */
    CHECK_OK(lt_gc(c, 1, NULL));
    CHECK_NO_ERROR();
    CHECK_RC(lt_step_down(c, 1), EINVAL); /* not the leader */
    CHECK_OK(lt_step_down(c, 0));
    CHECK_NO_ERROR();

    CHECK_OK(lt_cursor_close(cur));
    CHECK_OK(tu_close(c));
    CHECK_NO_ERROR();
}

/*
 * A call that fails after an inner step succeeded keeps its own message: truncate opens and closes
 * a cursor around the step that fails (a commit timestamp at or below the node's checkpoint).
 */
static void
test_failure_keeps_its_message(void)
{
    lt_cluster *c = tu_open(2);
    lt_session *s;
    lt_txn_config tc = {LT_ISO_SNAPSHOT, 0, 15};

    REQUIRE(c != NULL);
    REQUIRE((s = tu_session(c, 0)) != NULL);
    REQUIRE_OK(lt_create(s, "t"));
    CHECK_OK(tu_write(s, "t", 10, "a=1"));
    REQUIRE(tu_checkpoint(c, 0, 20) != 0);
    REQUIRE_OK(lt_txn_begin(s, &tc));
    CHECK_RC(lt_truncate(s, "t"), EINVAL);
    CHECK_ERROR_SAYS("truncate");
    CHECK_ERROR_SAYS("commit timestamp 15");
    CHECK_OK(lt_txn_rollback(s));
    CHECK_NO_ERROR();
    CHECK_OK(tu_close(c));
}

typedef struct {
    lt_cluster *c;
    int rc;
    char msg[LT_NAME_MAX * 4];
} other_thread;

static void *
other_thread_main(void *arg)
{
    other_thread *o = arg;
    lt_node_info info;

    o->rc = lt_node_get_info(o->c, 0, &info);
    (void)snprintf(o->msg, sizeof(o->msg), "%s", lt_last_error());
    return NULL;
}

/* The last error is the calling thread's: another thread's successful call leaves it alone. */
static void
test_last_error_is_per_thread(void)
{
    lt_cluster *c = tu_open(2);
    lt_session *s;
    other_thread o;
    pthread_t t;

    REQUIRE(c != NULL);
    REQUIRE((s = tu_session(c, 0)) != NULL);
    CHECK_RC(lt_drop(s, "nope"), ENOENT);
    memset(&o, 0, sizeof(o));
    o.c = c;
    REQUIRE(pthread_create(&t, NULL, other_thread_main, &o) == 0);
    REQUIRE(pthread_join(t, NULL) == 0);
    CHECK_OK(o.rc);
    CHECK_EQ_STR(o.msg, "");
    CHECK_ERROR_SAYS("nope");
    CHECK_OK(tu_close(c));
}

/* lt_strerror names every errno and every WiredTiger code, never a bare number. */
static void
test_strerror_covers_every_code(void)
{
    static const struct {
        int rc;
        const char *says;
    } named[] = {{EMFILE, "EMFILE"}, {ENOSPC, "ENOSPC"}, {EACCES, "EACCES"}, {EIO, "EIO"},
      {ENFILE, "ENFILE"}, {EBUSY, "EBUSY"}, {EINVAL, "EINVAL"}, {WT_ROLLBACK, "WT_ROLLBACK"},
      {WT_DUPLICATE_KEY, "WT_DUPLICATE_KEY"}, {WT_ERROR, "WT_ERROR"}, {WT_NOTFOUND, "WT_NOTFOUND"},
      {WT_PANIC, "WT_PANIC"}, {WT_RESTART, "WT_RESTART"}, {WT_RUN_RECOVERY, "WT_RUN_RECOVERY"},
      {WT_CACHE_FULL, "WT_CACHE_FULL"}, {WT_PREPARE_CONFLICT, "WT_PREPARE_CONFLICT"},
      {WT_TRY_SALVAGE, "WT_TRY_SALVAGE"}};
    const char *a, *b;
    char bare[32];
    size_t i;
    int e;

    for (i = 0; i < sizeof(named) / sizeof(named[0]); i++)
        if (!CHECK(strstr(lt_strerror(named[i].rc), named[i].says) != NULL))
            tu_note("lt_strerror(%d) is \"%s\", expected it to name %s", named[i].rc,
              lt_strerror(named[i].rc), named[i].says);
    /* The system's description comes with a name it does not list. */
    CHECK(strstr(lt_strerror(EMFILE), strerror(EMFILE)) != NULL);
    /* Every errno Linux defines: a name or a description, not "error N". */
    for (e = 1; e <= 133; e++) {
        (void)snprintf(bare, sizeof(bare), "error %d", e);
        if (!CHECK(strcmp(lt_strerror(e), bare) != 0))
            tu_note("lt_strerror(%d) is a bare number", e);
    }
    /* Codes nobody defines still say which. */
    CHECK(strstr(lt_strerror(123456), "123456") != NULL);
    CHECK(strstr(lt_strerror(-5), "-5") != NULL);
    CHECK(strstr(lt_strerror(-31850), "-31850") != NULL);
    /* Texts made for several codes stay valid together (one printf may use them all). */
    a = lt_strerror(EMFILE);
    b = lt_strerror(ENOSPC);
    CHECK(strstr(a, "EMFILE") != NULL);
    CHECK(strstr(b, "ENOSPC") != NULL);
    /* lt_strerror does not touch the last error. */
    CHECK_RC(lt_policy_parse(NULL, NULL), EINVAL);
    (void)lt_strerror(ENOSPC);
    CHECK_ERROR_SAYS("lt_policy_parse");
}

/* lt_table_exists says when it cannot answer, and why. */
static void
test_table_exists_reports_errors(void)
{
    lt_cluster *c = tu_open(2);
    lt_session *s;
    char longname[LT_NAME_MAX + 2];
    int exists;

    REQUIRE(c != NULL);
    REQUIRE((s = tu_session(c, 1)) != NULL);
    REQUIRE_OK(lt_create(s, "t"));

    exists = 7;
    CHECK_RC(lt_table_exists(NULL, "t", &exists), EINVAL);
    CHECK_EQ(exists, 0);
    CHECK_ERROR_SAYS("NULL session");
    exists = 7;
    CHECK_RC(lt_table_exists(s, NULL, &exists), EINVAL);
    CHECK_EQ(exists, 0);
    CHECK_ERROR_SAYS("node 1");
    CHECK_RC(lt_table_exists(s, "a/b", &exists), EINVAL);
    CHECK_ERROR_SAYS("a/b");
    memset(longname, 'n', sizeof(longname));
    longname[LT_NAME_MAX + 1] = '\0';
    CHECK_RC(lt_table_exists(s, longname, &exists), EINVAL);
    CHECK_RC(lt_table_exists(s, "t", NULL), EINVAL);
    CHECK_ERROR_SAYS("lt_table_exists");

    CHECK_OK(lt_table_exists(s, "t", &exists));
    CHECK_EQ(exists, 1);
    CHECK_OK(lt_table_exists(s, "other", &exists));
    CHECK_EQ(exists, 0);
    CHECK_OK(tu_close(c));
}

int
main(void)
{
    TU_RUN(test_success_clears_last_error);
    TU_RUN(test_failure_keeps_its_message);
    TU_RUN(test_last_error_is_per_thread);
    TU_RUN(test_strerror_covers_every_code);
    TU_RUN(test_table_exists_reports_errors);
    return tu_finish();
}
