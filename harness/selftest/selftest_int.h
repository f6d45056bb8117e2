/*
 * selftest_int.h -- internals shared by the selftest's files (selftest.c: the steps and
 * lt_selftest_main; selftest_util.c: error reporting, the observer, the row model, writes,
 * verification, role and checkpoint expectations). Not part of the harness's interface: see
 * selftest.h.
 *
 * Everything here is single-threaded: one selftest context, owned by lt_selftest_main's thread
 * (only the observer's counters are bumped from library callbacks, with atomics).
 */
#ifndef LAYERACE_SELFTEST_INT_H
#define LAYERACE_SELFTEST_INT_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "layered.h"

#define ST_NODES 3
#define ST_KEYS 300 /* key space of each table: "<prefix>000" .. "<prefix>299" */
#define ST_VALUE_MAX 32
#define ST_FAIL (-1) /* a check failed: the message says what differed */

#define ST_TABLE_A "selftest_a"
#define ST_TABLE_B "selftest_b"

/* What a table must show on one node: for each key, absent or its value. */
typedef struct {
    const char *table;
    char prefix;
    bool present[ST_KEYS];
    char value[ST_KEYS][ST_VALUE_MAX];
} st_model;

/* Counts of observer events, by type. */
typedef struct {
    uint64_t events[LT_EV_STABLE_WRITE + 1];
    uint64_t drained_rows;
} st_events;

typedef struct {
    /* Options. */
    const char *parent; /* directory in which the database directory is made */
    bool keep;
    bool verbose;

    char home[PATH_MAX];
    lt_cluster *cluster;
    lt_session *session[ST_NODES];
    uint64_t ts;         /* the last commit timestamp handed out */
    uint64_t ckpt_first; /* checkpoint ids published by node 0, then by node 1 */
    uint64_t ckpt_second;
    uint64_t generation[ST_NODES];

    st_model a_base;  /* A as the leader wrote it: what nodes 0 and 2 see first */
    st_model a_node1; /* A with follower 1's own writes on top */
    st_model b;       /* B, written by follower 1 only */
    st_events ev;

    char why[1024]; /* the first failure */
} selftest;

/* selftest_util.c: the sticky first failure (file is the caller's __FILE__). */
int lr_st_error(selftest *st, int rc, const char *call, const char *file, int line);
int lr_st_fail(selftest *st, const char *file, int line, const char *fmt, ...)
  __attribute__((format(printf, 4, 5)));

/* selftest_util.c: the observer, the model, what is done to tables and expected of nodes. */
void lr_st_observer(void *arg, const lt_event *ev);
void lr_st_model_init(st_model *m, const char *table, char prefix);
int lr_st_write(selftest *st, int node, st_model **models, int nmodels, int first, int count,
  int stride, const char *tag, bool remove);
int lr_st_verify(selftest *st, int node, const st_model *m);
int lr_st_expect_role(selftest *st, int node, lt_role role);
int lr_st_expect_leader(selftest *st, int want);
int lr_st_pickup(selftest *st, int node, uint64_t id);

/* Call a library function; on error record it and leave through err. Needs "int ret". */
#define CALL(st, call)                                               \
    do {                                                             \
        int rc_ = (call);                                            \
        if (rc_ != 0) {                                              \
            ret = lr_st_error((st), rc_, #call, __FILE__, __LINE__); \
            goto err;                                                \
        }                                                            \
    } while (0)

/* A library call's code already in rc: the same as CALL. */
#define CALLED(st, rc, call)                                           \
    do {                                                               \
        if ((rc) != 0) {                                               \
            ret = lr_st_error((st), (rc), (call), __FILE__, __LINE__); \
            goto err;                                                  \
        }                                                              \
    } while (0)

/* Check a condition; on failure record the message and leave through err. */
#define CHECK(st, cond, ...)                                         \
    do {                                                             \
        if (!(cond)) {                                               \
            ret = lr_st_fail((st), __FILE__, __LINE__, __VA_ARGS__); \
            goto err;                                                \
        }                                                            \
    } while (0)

#endif /* LAYERACE_SELFTEST_INT_H */
