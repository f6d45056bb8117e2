/*
 * util.h -- the test framework and helpers of the liblayered ctest suite (header only).
 *
 * Every test executable is one tests/test_*.c file that includes this header first. The header
 * is a set of static inline functions so that it needs no separate object file; the plumbing it
 * shares with the harness (clock, directories, holds) comes from harness/common/, which every
 * test links.
 *
 * Checks: each CHECK_* macro evaluates its arguments once, prints
 * file:line, the expression and both values when they differ (for return codes: the lt_strerror
 * names and lt_last_error() of the calling thread), counts the failure, and evaluates to 1 when it
 * passed and 0 when it failed, so that a test can stop early with REQUIRE_* (which returns from
 * the enclosing void function). Checks are thread safe.
 *
 * A test file is a list of `static void test_NAME(void)` functions run by TU_RUN(test_NAME) from
 * main(), which ends with `return tu_finish();`: exit code 0 if every check passed, 1 otherwise.
 *
 * Scripts: tu_write(session, table, ts, "a=1 b=2 -c") writes a=1, b=2 and removes c in one
 * transaction with commit timestamp ts. CHECK_SCAN(session, table, "a=1 b=2") reads the table with
 * a full next scan and a full prev scan (both must be strictly ordered, terminate and equal the
 * expected list). Keys and values in scripts contain no blanks and no '='.
 */
#ifndef LAYERACE_TESTS_UTIL_H
#define LAYERACE_TESTS_UTIL_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/fs.h"
#include "common/hold.h"
#include "layered.h"

/* ---------------------------------------------------------------------------------------------
 * Failure accounting.
 */
static inline int *
tu_failures_(void)
{
    static int failures;
    return &failures;
}

static inline int
tu_failures(void)
{
    return __atomic_load_n(tu_failures_(), __ATOMIC_SEQ_CST);
}

static inline pthread_mutex_t *
tu_print_lock_(void)
{
    static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
    return &mu;
}

static inline void tu_fail(const char *file, int line, const char *fmt, ...)
  __attribute__((format(printf, 3, 4)));

static inline void
tu_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;

    __atomic_add_fetch(tu_failures_(), 1, __ATOMIC_SEQ_CST);
    pthread_mutex_lock(tu_print_lock_());
    fprintf(stderr, "%s:%d: FAIL: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fflush(stderr);
    pthread_mutex_unlock(tu_print_lock_());
}

static inline void tu_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static inline void
tu_note(const char *fmt, ...)
{
    va_list ap;

    pthread_mutex_lock(tu_print_lock_());
    fputs("  note: ", stdout);
    va_start(ap, fmt);
    vfprintf(stdout, fmt, ap);
    va_end(ap);
    fputc('\n', stdout);
    fflush(stdout);
    pthread_mutex_unlock(tu_print_lock_());
}

static inline const char *
tu_rcname(int rc)
{
    const char *s = lt_strerror(rc);
    return s == NULL ? "(lt_strerror returned NULL)" : s;
}

static inline const char *
tu_lasterr(void)
{
    const char *s = lt_last_error();
    return s == NULL ? "(lt_last_error returned NULL)" : s;
}

static inline int
tu_check_(const char *file, int line, const char *expr, int ok)
{
    if (!ok)
        tu_fail(file, line, "%s is false", expr);
    return ok;
}

static inline int
tu_check_rc_(const char *file, int line, const char *expr, int got, int expected)
{
    if (got == expected)
        return 1;
    tu_fail(file, line, "%s returned %d (%s), expected %d (%s); last error: \"%s\"", expr, got,
      tu_rcname(got), expected, tu_rcname(expected), tu_lasterr());
    return 0;
}

/* The expression must fail (any nonzero code). */
static inline int
tu_check_err_(const char *file, int line, const char *expr, int got)
{
    if (got != 0)
        return 1;
    tu_fail(file, line, "%s returned 0, expected an error", expr);
    return 0;
}

/* The expression must return one of two codes. */
static inline int
tu_check_rc2_(const char *file, int line, const char *expr, int got, int e1, int e2)
{
    if (got == e1 || got == e2)
        return 1;
    tu_fail(file, line, "%s returned %d (%s), expected %s or %s; last error: \"%s\"", expr, got,
      tu_rcname(got), tu_rcname(e1), tu_rcname(e2), tu_lasterr());
    return 0;
}

enum { TU_EQ, TU_NE, TU_LT, TU_LE, TU_GT, TU_GE };

static inline int
tu_check_cmp_(const char *file, int line, const char *a_s, const char *b_s, int op, long long a,
  long long b)
{
    static const char *const names[] = {"==", "!=", "<", "<=", ">", ">="};
    int ok;

    switch (op) {
    case TU_EQ:
        ok = a == b;
        break;
    case TU_NE:
        ok = a != b;
        break;
    case TU_LT:
        ok = a < b;
        break;
    case TU_LE:
        ok = a <= b;
        break;
    case TU_GT:
        ok = a > b;
        break;
    default:
        ok = a >= b;
        break;
    }
    if (!ok)
        tu_fail(file, line, "expected %s %s %s, got %lld %s %lld", a_s, names[op], b_s, a,
          names[op], b);
    return ok;
}

static inline int
tu_check_str_(const char *file, int line, const char *a_s, const char *b_s, const char *a,
  const char *b)
{
    if (a != NULL && b != NULL && strcmp(a, b) == 0)
        return 1;
    if (a == NULL && b == NULL)
        return 1;
    tu_fail(file, line, "expected %s == %s, got \"%s\" and \"%s\"", a_s, b_s,
      a == NULL ? "(null)" : a, b == NULL ? "(null)" : b);
    return 0;
}

#define CHECK(cond) tu_check_(__FILE__, __LINE__, #cond, (cond) ? 1 : 0)
#define CHECK_RC(expr, expected) tu_check_rc_(__FILE__, __LINE__, #expr, (expr), (expected))
#define CHECK_RC2(expr, e1, e2) tu_check_rc2_(__FILE__, __LINE__, #expr, (expr), (e1), (e2))
#define CHECK_OK(expr) CHECK_RC(expr, 0)
#define CHECK_ERR(expr) tu_check_err_(__FILE__, __LINE__, #expr, (expr))
#define CHECK_EQ(a, b) \
    tu_check_cmp_(__FILE__, __LINE__, #a, #b, TU_EQ, (long long)(a), (long long)(b))
#define CHECK_NE(a, b) \
    tu_check_cmp_(__FILE__, __LINE__, #a, #b, TU_NE, (long long)(a), (long long)(b))
#define CHECK_LT(a, b) \
    tu_check_cmp_(__FILE__, __LINE__, #a, #b, TU_LT, (long long)(a), (long long)(b))
#define CHECK_LE(a, b) \
    tu_check_cmp_(__FILE__, __LINE__, #a, #b, TU_LE, (long long)(a), (long long)(b))
#define CHECK_GT(a, b) \
    tu_check_cmp_(__FILE__, __LINE__, #a, #b, TU_GT, (long long)(a), (long long)(b))
#define CHECK_GE(a, b) \
    tu_check_cmp_(__FILE__, __LINE__, #a, #b, TU_GE, (long long)(a), (long long)(b))
#define CHECK_EQ_STR(a, b) tu_check_str_(__FILE__, __LINE__, #a, #b, (a), (b))

/* REQUIRE_*: as CHECK_*, and return from the enclosing void function on failure. */
#define REQUIRE(cond)     \
    do {                  \
        if (!CHECK(cond)) \
            return;       \
    } while (0)
#define REQUIRE_RC(expr, expected)     \
    do {                               \
        if (!CHECK_RC(expr, expected)) \
            return;                    \
    } while (0)
#define REQUIRE_OK(expr) REQUIRE_RC(expr, 0)

/* ---------------------------------------------------------------------------------------------
 * Time: the harness's clock (common/clock.h: lr_now_ns, lr_sleep_ms, lr_deadline_ms). How long a
 * test waits for something that should happen "at once" before it calls it a hang:
 */
#define TU_HANG_MS 10000

/* ---------------------------------------------------------------------------------------------
 * Temporary directories. One per process (under $LT_TEST_TMPDIR, $TMPDIR or /tmp), removed by
 * tu_finish() unless $LT_TEST_KEEP is set; each cluster gets a fresh subdirectory.
 */
typedef struct {
    char base[512];
    int seq;
    const char *test; /* the running test's name */
    lt_cluster *open[16];
} tu_state;

static inline tu_state *
tu_st(void)
{
    static tu_state st;
    return &st;
}

static inline const char *
tu_tmpdir(void)
{
    tu_state *st = tu_st();
    int rc;

    if (st->base[0] != '\0')
        return st->base;
    rc = lr_temp_dir(getenv("LT_TEST_TMPDIR"), "layerace-test", st->base, sizeof(st->base));
    if (rc != 0) {
        fprintf(stderr, "cannot make a temporary directory: %s\n", strerror(rc));
        exit(2);
    }
    return st->base;
}

/* A fresh path (not created) under the process's temporary directory. */
static inline void
tu_fresh_path(char *buf, size_t len, const char *tag)
{
    tu_state *st = tu_st();
    snprintf(buf, len, "%s/%s-%d", tu_tmpdir(), tag == NULL ? "db" : tag, ++st->seq);
}

/* ---------------------------------------------------------------------------------------------
 * Running tests.
 */
#define TU_RUN(fn) tu_run_(#fn, fn)

static inline void
tu_run_(const char *name, void (*fn)(void))
{
    tu_state *st = tu_st();
    int before = tu_failures();
    uint64_t t0 = lr_now_ns();

    st->test = name;
    printf("[ RUN  ] %s\n", name);
    fflush(stdout);
    fn();
    for (size_t i = 0; i < sizeof(st->open) / sizeof(st->open[0]); i++)
        if (st->open[i] != NULL) {
            lt_cluster_close(st->open[i]);
            st->open[i] = NULL;
        }
    printf("[ %s ] %s (%.0f ms)\n", tu_failures() == before ? " OK " : "FAIL", name,
      (double)(lr_now_ns() - t0) / 1e6);
    fflush(stdout);
}

static inline int
tu_finish(void)
{
    tu_state *st = tu_st();
    int n = tu_failures();

    if (st->base[0] != '\0' && getenv("LT_TEST_KEEP") == NULL)
        (void)lr_rm_rf(st->base);
    printf("%s: %d failure%s\n", n == 0 ? "PASS" : "FAIL", n, n == 1 ? "" : "s");
    return n == 0 ? 0 : 1;
}

#include "util_db.h"
#include "util_threads.h"

#endif /* LAYERACE_TESTS_UTIL_H */
