/*
 * test_sched.c -- the controlled scheduler (harness/sched/) on its own and with the library.
 *
 *   deadlock        two controlled threads take two controlled mutexes in opposite order: the
 *                   scheduler reports the deadlock, naming both waits and what each holds, and
 *                   exits 1 (in a child process; it must not hang)
 *   stall           a thread blocked for good while a daemon thread (lr_sched_daemon) loops with
 *                   sleeps: past the configured stall time the scheduler reports a deadlock
 *                   (exit 1, in a child) instead of letting the daemon run forever
 *   mutex_counter   threads increment a counter under a controlled mutex with points between:
 *                   exact under every strategy; the same seed gives the same trace, another
 *                   seed (almost always) another
 *   trace_differ    a run compared with a different reference (the determinism check) stops at
 *                   the first different step, printing both and every thread's point (exit 2)
 *   sleep_join      virtual sleeps and a controlled join end; a sleeper alone jumps the clock
 *   library_wait    a create under policy wait against a step-up on the same node: (a) the
 *                   create meets the transition and waits in the library's condition until the
 *                   transition's end wakes it; (b) an admitted create holds the step-up's grace
 *                   period until it ends. Every strategy, several seeds, no deadlock
 */
#include "util.h"

#include <fcntl.h>
#include <sys/wait.h>

#include "sched/sched.h"

static lr_sched *
__new(int kind, uint64_t seed, lr_sched_trace *keep)
{
    lr_sched_config cfg;
    lr_sched *s;
    char err[256];

    memset(&cfg, 0, sizeof(cfg));
    cfg.kind = kind;
    cfg.depth = 3;
    cfg.seed = seed;
    cfg.k_guess = 200;
    cfg.keep = keep;
    if (lr_sched_new(&cfg, &s, err, sizeof(err)) != 0) {
        fprintf(stderr, "lr_sched_new: %s\n", err);
        return (NULL);
    }
    return (s);
}

/* ---------------------------------------------------------------------------------------------
 * Deadlock.
 */
static pthread_mutex_t dl_a = PTHREAD_MUTEX_INITIALIZER, dl_b = PTHREAD_MUTEX_INITIALIZER;
static _Atomic int dl_has_a, dl_has_b;

static void *
__dl_one(void *arg)
{
    (void)arg;
    lr_sched_mutex_lock(&dl_a, "lock_a", -1);
    dl_has_a = 1;
    while (!dl_has_b) /* make the inversion certain under every schedule */
        lr_sched_sleep_us(10, "wait_b");
    lr_sched_mutex_lock(&dl_b, "lock_b", -1);
    return (NULL);
}

static void *
__dl_two(void *arg)
{
    (void)arg;
    lr_sched_mutex_lock(&dl_b, "lock_b", -1);
    dl_has_b = 1;
    while (!dl_has_a)
        lr_sched_sleep_us(10, "wait_a");
    lr_sched_mutex_lock(&dl_a, "lock_a", -1);
    return (NULL);
}

/*
 * __child_report --
 *     Run body in a child process whose stderr goes to a fresh file: the scheduler must stop it
 *     with exit 1 (a hang dies of SIGALRM: the parent then sees a signal). Returns the report
 *     (free it), or NULL.
 */
static char *
__child_report(const char *name, void (*body)(void))
{
    char path[512], *buf;
    size_t n;
    FILE *fp;
    pid_t pid;
    int fd, status;

    tu_fresh_path(path, sizeof(path), name);
    fflush(NULL);
    if ((pid = fork()) < 0)
        return (NULL);
    if (pid == 0) {
        alarm(30);
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0 || dup2(fd, 2) < 0)
            _exit(3);
        body();
        _exit(0); /* no deadlock reported: wrong */
    }
    if (waitpid(pid, &status, 0) != pid)
        return (NULL);
    CHECK(WIFEXITED(status));
    if (WIFEXITED(status))
        CHECK_EQ(WEXITSTATUS(status), 1);
    if ((fp = fopen(path, "r")) == NULL || (buf = calloc(1, 8192)) == NULL)
        return (NULL);
    n = fread(buf, 1, 8191, fp);
    fclose(fp);
    CHECK(n > 0);
    return (buf);
}

static void
__dl_body(void)
{
    pthread_t t1, t2;
    lr_sched *s;

    if ((s = __new(LR_SCHED_RANDOM, 1, NULL)) == NULL ||
      lr_sched_spawn(s, &t1, "one", __dl_one, NULL) != 0 ||
      lr_sched_spawn(s, &t2, "two", __dl_two, NULL) != 0)
        _exit(3);
    lr_sched_go(s);
    (void)pthread_join(t1, NULL);
    (void)pthread_join(t2, NULL);
}

static void
test_deadlock(void)
{
    char *buf;

    REQUIRE((buf = __child_report("deadlock.txt", __dl_body)) != NULL);
    CHECK(strstr(buf, "deadlock at step") != NULL);
    CHECK(strstr(buf,
            "thread 0 (one): blocked: lock lock_b, held by thread 1 (two); holds "
            "lock_a\n") != NULL);
    CHECK(strstr(buf,
            "thread 1 (two): blocked: lock lock_a, held by thread 0 (one); holds "
            "lock_b\n") != NULL);
    if (tu_failures() != 0)
        fprintf(stderr, "--- the child's report:\n%s", buf);
    free(buf);
}

/* A thread that takes a lock and ends holding it; one that then waits for it; a daemon. */
static pthread_mutex_t st_m = PTHREAD_MUTEX_INITIALIZER;
static _Atomic int st_taken;

static void *
__st_holder(void *arg)
{
    (void)arg;
    lr_sched_mutex_lock(&st_m, "lock_m", -1);
    st_taken = 1;
    return (NULL);
}

static void *
__st_waiter(void *arg)
{
    (void)arg;
    while (!st_taken)
        lr_sched_sleep_us(10, "wait_taken");
    lr_sched_mutex_lock(&st_m, "lock_m", -1);
    return (NULL);
}

static void *
__st_daemon(void *arg)
{
    (void)arg;
    lr_sched_daemon();
    for (;;)
        lr_sched_sleep_us(5000, "daemon.pause");
    return (NULL);
}

static void
__st_body(void)
{
    lr_sched_config cfg;
    pthread_t t[3];
    lr_sched *s;
    char err[256];

    memset(&cfg, 0, sizeof(cfg));
    cfg.kind = LR_SCHED_RANDOM;
    cfg.seed = 1;
    cfg.k_guess = 200;
    cfg.stall_ns = 2000000000u; /* 2 virtual s */
    if (lr_sched_new(&cfg, &s, err, sizeof(err)) != 0 ||
      lr_sched_spawn(s, &t[0], "holder", __st_holder, NULL) != 0 ||
      lr_sched_spawn(s, &t[1], "waiter", __st_waiter, NULL) != 0 ||
      lr_sched_spawn(s, &t[2], "daemon", __st_daemon, NULL) != 0)
        _exit(3);
    lr_sched_go(s);
    (void)pthread_join(t[0], NULL); /* ended: joined, so ThreadSanitizer sees no leak */
    (void)pthread_join(t[1], NULL); /* the waiter got the lock: wrong */
}

static void
test_stall(void)
{
    char *buf;

    REQUIRE((buf = __child_report("stall.txt", __st_body)) != NULL);
    CHECK(strstr(buf, ": only the maintenance threads ran for ") != NULL);
    CHECK(strstr(buf, "thread 1 (waiter): blocked: lock lock_m") != NULL);
    if (tu_failures() != 0)
        fprintf(stderr, "--- the child's report:\n%s", buf);
    free(buf);
}

/* ---------------------------------------------------------------------------------------------
 * Mutual exclusion and traces.
 */
#define MC_THREADS 4
#define MC_ROUNDS 50
static pthread_mutex_t mc_lock = PTHREAD_MUTEX_INITIALIZER;
static int mc_counter; /* mc_lock */

static void *
__mc_worker(void *arg)
{
    int i, v;

    (void)arg;
    for (i = 0; i < MC_ROUNDS; i++) {
        lr_sched_mutex_lock(&mc_lock, "mc_lock", -1);
        v = mc_counter;
        lr_sched_point("between", -1); /* others run here; they must wait for the lock */
        mc_counter = v + 1;
        lr_sched_mutex_unlock(&mc_lock);
        lr_sched_point("after", -1);
    }
    return (NULL);
}

/* One run; returns its trace hash. */
static uint64_t
__mc_run(int kind, uint64_t seed)
{
    pthread_t t[MC_THREADS];
    lr_sched_trace *tr;
    char name[16], summary[512];
    lr_sched *s;
    uint64_t h;
    int i;

    mc_counter = 0;
    tr = lr_sched_trace_new();
    if (tr == NULL || (s = __new(kind, seed, tr)) == NULL)
        return (0);
    for (i = 0; i < MC_THREADS; i++) {
        snprintf(name, sizeof(name), "w%d", i);
        CHECK_EQ(lr_sched_spawn(s, &t[i], name, __mc_worker, NULL), 0);
    }
    lr_sched_go(s);
    for (i = 0; i < MC_THREADS; i++)
        (void)pthread_join(t[i], NULL);
    CHECK_EQ(lr_sched_end(s, summary, sizeof(summary)), 0);
    CHECK_EQ(mc_counter, MC_THREADS * MC_ROUNDS);
    CHECK(strstr(summary, "n 4 threads") != NULL);
    h = lr_sched_trace_hash(tr);
    CHECK_EQ(h, lr_sched_trace_hash(tr));
    lr_sched_trace_free(tr);
    return (h);
}

static void
test_mutex_counter(void)
{
    int kind;
    uint64_t a, b, c;

    for (kind = LR_SCHED_RANDOM; kind <= LR_SCHED_URW; kind++) {
        a = __mc_run(kind, 11);
        b = __mc_run(kind, 11);
        c = __mc_run(kind, 12);
        CHECK(a != 0);
        CHECK_EQ(a, b); /* same seed, same interleaving */
        CHECK_NE(a, c); /* another seed: another interleaving (true for these seeds) */
    }
}

/*
 * The determinism check's comparison: a run compared with a reference that differs (another
 * seed stands for uncontrolled nondeterminism) stops at the first different step, exit 2.
 */
static void
test_trace_differ(void)
{
    pthread_t t[MC_THREADS];
    lr_sched_config cfg;
    lr_sched_trace *ref;
    char path[512], err[256], *buf;
    lr_sched *s;
    size_t n;
    FILE *fp;
    pid_t pid;
    int fd, i, status;

    REQUIRE((ref = lr_sched_trace_new()) != NULL);
    memset(&cfg, 0, sizeof(cfg));
    cfg.kind = LR_SCHED_RANDOM;
    cfg.seed = 11;
    cfg.keep = ref;
    REQUIRE(lr_sched_new(&cfg, &s, err, sizeof(err)) == 0);
    for (i = 0; i < MC_THREADS; i++)
        REQUIRE(lr_sched_spawn(s, &t[i], "w", __mc_worker, NULL) == 0);
    lr_sched_go(s);
    for (i = 0; i < MC_THREADS; i++)
        (void)pthread_join(t[i], NULL);
    CHECK_EQ(lr_sched_end(s, err, sizeof(err)), 0);

    tu_fresh_path(path, sizeof(path), "differ.txt");
    fflush(NULL);
    REQUIRE((pid = fork()) >= 0);
    if (pid == 0) {
        alarm(30);
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0 || dup2(fd, 2) < 0)
            _exit(3);
        cfg.seed = 12;
        cfg.keep = NULL;
        cfg.ref = ref;
        if (lr_sched_new(&cfg, &s, err, sizeof(err)) != 0)
            _exit(3);
        for (i = 0; i < MC_THREADS; i++)
            if (lr_sched_spawn(s, &t[i], "w", __mc_worker, NULL) != 0)
                _exit(3);
        lr_sched_go(s);
        for (i = 0; i < MC_THREADS; i++)
            (void)pthread_join(t[i], NULL);
        _exit(0); /* no difference found: wrong */
    }
    REQUIRE(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 2);
    lr_sched_trace_free(ref);
    REQUIRE((fp = fopen(path, "r")) != NULL);
    buf = calloc(1, 8192);
    n = fread(buf, 1, 8191, fp);
    fclose(fp);
    CHECK(n > 0);
    CHECK(strstr(buf, "determinism check: the runs differ at step ") != NULL);
    CHECK(strstr(buf, "  first run:  thread ") != NULL);
    CHECK(strstr(buf, "  second run: thread ") != NULL);
    CHECK(strstr(buf, "each thread's point in the first run:\n  thread 0 (w): ") != NULL);
    CHECK(strstr(buf, "each thread's point in the second run:\n  thread 0 (w): ") != NULL);
    if (tu_failures() != 0)
        fprintf(stderr, "--- the child's report:\n%s", buf);
    free(buf);
}

/* ---------------------------------------------------------------------------------------------
 * Sleeps and joins.
 */
static uint64_t sj_woke_ns;

static void *
__sj_sleeper(void *arg)
{
    uint64_t start = lr_sched_now_ns();

    (void)arg;
    lr_sched_sleep_us(1000000, "long"); /* one virtual second: nobody else runs that long */
    sj_woke_ns = lr_sched_now_ns() - start;
    return (NULL);
}

static void *
__sj_joiner(void *arg)
{
    pthread_t *t = arg;

    CHECK_EQ(lr_sched_join(*t, NULL), 0); /* blocks in the scheduler until the sleeper ends */
    CHECK_GE(sj_woke_ns, 1000000000ull);
    return (NULL);
}

static void
test_sleep_join(void)
{
    pthread_t sleeper, joiner;
    char summary[512];
    lr_sched *s;

    REQUIRE((s = __new(LR_SCHED_PCT, 3, NULL)) != NULL);
    REQUIRE(lr_sched_spawn(s, &sleeper, "sleeper", __sj_sleeper, NULL) == 0);
    REQUIRE(lr_sched_spawn(s, &joiner, "joiner", __sj_joiner, &sleeper) == 0);
    lr_sched_go(s);
    CHECK_EQ(pthread_join(joiner, NULL), 0);
    CHECK_EQ(lr_sched_end(s, summary, sizeof(summary)), 0);
    CHECK(strstr(summary, "bound 1/(n k^(d-1))") != NULL);
}

/* ---------------------------------------------------------------------------------------------
 * The library under control: a schema operation and a step-up on the same node, ordered by
 * flags the yield function and the observer set (controlled sleeps spin on them), so that each
 * seed takes the path under test.
 */
typedef struct {
    lt_cluster *cl;
    lt_session *s;
    int rc_up, rc_create;
    bool create_first;    /* (b) the create is admitted first, the step-up follows */
    _Atomic int begun;    /* the step-up published its transition (site stepup.begin) */
    _Atomic int waiting;  /* the create waits for the transition (event WAIT_BEGIN) */
    _Atomic int admitted; /* the create was admitted (site create.after_role_read) */
    _Atomic uint64_t create_end_seq, tr_begin_seq;
} lw_state;

static void
__lw_yield(void *arg, const char *site, int node)
{
    lw_state *st = arg;

    lr_sched_point(site, node);
    if (strcmp(site, "stepup.begin") == 0)
        st->begun = 1;
    if (strcmp(site, "create.after_role_read") == 0)
        st->admitted = 1;
    /* (a) hold the transition open until the create waits for it */
    if (!st->create_first && strcmp(site, "stepup.end") == 0)
        while (!st->waiting)
            lr_sched_sleep_us(10, "hold_transition");
    /* (b) stay inside the read-side section a while: the step-up reaches its grace period */
    if (st->create_first && strcmp(site, "create.before_link") == 0)
        lr_sched_sleep_us(1000, "hold_create");
}

static void
__lw_observe(void *arg, const lt_event *ev)
{
    lw_state *st = arg;

    if (ev->type == LT_EV_WAIT_BEGIN)
        st->waiting = 1;
    if (ev->type == LT_EV_SCHEMA_END && ev->op == LT_OP_CREATE)
        st->create_end_seq = ev->seq;
    if (ev->type == LT_EV_TRANSITION_BEGIN)
        st->tr_begin_seq = ev->seq;
}

static void *
__lw_transition(void *arg)
{
    lw_state *st = arg;

    while (st->create_first && !st->admitted)
        lr_sched_sleep_us(10, "wait_admitted");
    st->rc_up = lt_step_up(st->cl, 1);
    return (NULL);
}

static void *
__lw_create(void *arg)
{
    lw_state *st = arg;

    while (!st->create_first && !st->begun)
        lr_sched_sleep_us(10, "wait_begun");
    st->rc_create = lt_create(st->s, "t");
    return (NULL);
}

static void
test_library_wait(void)
{
    lt_cluster_config cfg;
    lt_hook_stats hs;
    pthread_t a, b;
    char home[512], summary[512];
    lr_sched *s;
    lw_state st;
    int seed;

    for (seed = 1; seed <= 16; seed++) {
        memset(&st, 0, sizeof(st));
        st.create_first = seed > 8;
        tu_fresh_path(home, sizeof(home), "libwait");
        lt_cluster_config_init(&cfg);
        cfg.home = home;
        cfg.nodes = 2;
        cfg.policy = LT_POLICY_WAIT;
        cfg.yield = __lw_yield;
        cfg.yield_arg = &st;
        cfg.observer = __lw_observe;
        cfg.observer_arg = &st;
        REQUIRE_OK(lt_cluster_open(&cfg, &st.cl));
        REQUIRE_OK(lt_session_open(st.cl, 1, &st.s));
        REQUIRE((s = __new(LR_SCHED_RANDOM + seed % 4, (uint64_t)seed, NULL)) != NULL);
        REQUIRE(lr_sched_spawn(s, &a, "stepup", __lw_transition, &st) == 0);
        REQUIRE(lr_sched_spawn(s, &b, "create", __lw_create, &st) == 0);
        lr_sched_go(s);
        CHECK_EQ(pthread_join(a, NULL), 0);
        CHECK_EQ(pthread_join(b, NULL), 0);
        CHECK_EQ(lr_sched_end(s, summary, sizeof(summary)), 0);
        CHECK_OK(st.rc_up);
        CHECK_OK(st.rc_create);
        CHECK_OK(lt_hook_get_stats(st.cl, 1, &hs));
        if (st.create_first) {
            /* the transition began only after the admitted create had ended */
            CHECK_EQ(hs.waited, 0);
            CHECK_LT(st.create_end_seq, st.tr_begin_seq);
        } else
            CHECK_EQ(hs.waited, 1); /* woken by the transition's end, through the scheduler */
        CHECK_OK(lt_session_close(st.s));
        CHECK_OK(lt_cluster_close(st.cl));
    }
}

int
main(void)
{
    TU_RUN(test_deadlock);
    TU_RUN(test_stall);
    TU_RUN(test_mutex_counter);
    TU_RUN(test_trace_differ);
    TU_RUN(test_sleep_join);
    TU_RUN(test_library_wait);
    return (tu_finish());
}
