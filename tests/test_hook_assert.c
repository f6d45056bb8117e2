/*
 * test_hook_assert.c -- the RTI hook with policy assert (docs/CONTRACT.md#policy-assert): a schema
 * operation that meets a transition, and a transition that meets an admitted schema operation,
 * abort the process with a diagnostic naming both parties. Each case runs in a fork()ed child;
 * the parent checks that it died of SIGABRT and what it printed. The quiet case: with no
 * overlap, the same operations under assert run to completion.
 *
 * The parent never opens a cluster or starts a thread, so every fork is from a single-threaded
 * process.
 */
#include "util.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "hook_util.h"

/* Child: a create on node 1 while node 1's step-up is held open. */
static int
child_schema_meets_transition(void)
{
    hk h;
    lt_session *s1;

    if (!hk_open(&h, LT_POLICY_ASSERT, 0) || (s1 = tu_session(h.c, 1)) == NULL)
        return 2;
    if (!hk_hold(&h, TU_OP_STEP_UP, 1, "stepup.after_flip"))
        return 2;
    (void)lt_create(s1, "new"); /* must abort */
    fprintf(stderr, "child: create returned during the held step-up\n");
    hk_release(&h);
    return 3;
}

/* Child: a step-up of node 1 while a create on node 1 is parked after admission. */
static int
child_transition_meets_schema_op(void)
{
    hk h;
    lt_session *s1;
    tu_async cr;

    if (!hk_open(&h, LT_POLICY_ASSERT, 0) || (s1 = tu_session(h.c, 1)) == NULL)
        return 2;
    tu_hold_arm(&h.hold, "create.after_role_read", 1);
    tu_async_start(&cr, TU_OP_CREATE, h.c, s1, 1, "new", 0);
    if (!tu_hold_wait_held(&h.hold, TU_HANG_MS))
        return 2;
    (void)lt_step_up(h.c, 1); /* must abort */
    fprintf(stderr, "child: step-up returned while a create was in flight\n");
    tu_hold_release(&h.hold);
    tu_async_join(&cr);
    return 3;
}

/* Child: the quiet case, no overlap. */
static int
child_quiet(void)
{
    hk h;
    lt_session *s1;
    lt_hook_stats st;
    tu_async tr;

    if (!hk_open(&h, LT_POLICY_ASSERT, 0) || (s1 = tu_session(h.c, 1)) == NULL)
        return 2;
    CHECK_OK(lt_create(s1, "new"));
    CHECK_OK(lt_step_up(h.c, 1));
    CHECK_OK(lt_drop(s1, "new"));
    tu_async_start(&tr, TU_OP_TRUNCATE, h.c, s1, 1, "t", 30);
    CHECK_OK(tu_async_join(&tr));
    CHECK_OK(lt_step_down(h.c, 1));
    CHECK_OK(lt_create(s1, "new2"));
    CHECK_OK(lt_hook_get_stats(h.c, 1, &st));
    CHECK_EQ(st.transitions, 2);
    CHECK_GE(st.admitted, 4);
    hk_close(&h);
    return tu_failures() == 0 ? 0 : 1;
}

/* Run fn in a child with stderr captured; returns the wait status. */
static int
run_child(int (*fn)(void), char *out, size_t outlen)
{
    int fds[2], status = 0;
    size_t n = 0;
    ssize_t r;
    pid_t pid;

    tu_st()->seq += 100; /* each child its own database names */
    fflush(NULL);
    if (pipe(fds) != 0)
        return -1;
    if ((pid = fork()) == 0) {
        struct rlimit rl = {0, 0};
        (void)setrlimit(RLIMIT_CORE, &rl);
        close(fds[0]);
        dup2(fds[1], 2);
        close(fds[1]);
        _exit(fn());
    }
    close(fds[1]);
    while (n + 1 < outlen && (r = read(fds[0], out + n, outlen - n - 1)) > 0)
        n += (size_t)r;
    out[n] = '\0';
    /* Drain the rest so the child never blocks on a full pipe. */
    {
        char sink[4096];
        while (read(fds[0], sink, sizeof(sink)) > 0)
            ;
    }
    close(fds[0]);
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
        return -1;
    return status;
}

static int
check_abort(const char *file, int line, int status, const char *out, const char *a, const char *b)
{
    int ok = 1;

    if (status == -1 || !WIFSIGNALED(status) || WTERMSIG(status) != SIGABRT) {
        tu_fail(file, line, "the child did not die of SIGABRT (status %#x: %s %d)", status,
          WIFSIGNALED(status) ? "signal" : "exit code",
          WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
        ok = 0;
    }
    if (strstr(out, a) == NULL || strstr(out, b) == NULL) {
        tu_fail(file, line, "the diagnostic does not name both \"%s\" and \"%s\"", a, b);
        ok = 0;
    }
    if (!ok)
        fprintf(stderr, "--- child stderr ---\n%s--- end ---\n", out);
    return ok;
}

static char out[1 << 16];

static void
test_assert_schema_meets_transition(void)
{
    int status = run_child(child_schema_meets_transition, out, sizeof(out));
    check_abort(__FILE__, __LINE__, status, out, "create", "step-up");
}

static void
test_assert_transition_meets_schema_op(void)
{
    int status = run_child(child_transition_meets_schema_op, out, sizeof(out));
    check_abort(__FILE__, __LINE__, status, out, "step-up", "create");
}

static void
test_assert_quiet(void)
{
    int status = run_child(child_quiet, out, sizeof(out));
    if (!CHECK(status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0))
        fprintf(stderr, "--- child stderr (status %#x) ---\n%s--- end ---\n", status, out);
}

int
main(void)
{
    (void)tu_tmpdir(); /* children make their databases under the parent's directory */
    TU_RUN(test_assert_schema_meets_transition);
    TU_RUN(test_assert_transition_meets_schema_op);
    TU_RUN(test_assert_quiet);
    return tu_finish();
}
