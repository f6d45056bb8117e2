/*
 * bg.c -- the nodes' background threads (layered/DESIGN.md, Background threads): one per node
 * while lt_cluster_set_background (or lt_cluster_config.bg_checkpoint_ms) sets an interval.
 * Each wakes every interval and, if its node leads and something was committed since the last
 * checkpoint, publishes one, as upstream's checkpoint server does.
 *
 * A round reads its node's role flag (leads[], written at every flip) without a lock, then
 * checkpoints under node.transition_lock, where the role is checked again: a step-down between
 * the two makes the round a no-op (I4: a follower never writes the shared stable state). The
 * flag is read and written with __atomic builtins. Two test-only faults put upstream's defects
 * back: LT_FAULT_BG_NO_RECHECK trusts the flag read under no lock (race class 15), and
 * LT_FAULT_FLAG_PLAIN_READ reads the flag with a plain load (class 16, a data race).
 */
#include "lt_bg.h"

#include <time.h>

struct lt_bg {
    pthread_mutex_t lock; /* a leaf: never held with a library lock */
    pthread_cond_t cond;  /* broadcast under lock when ms changes */
    int ms;               /* lock: the interval, 0 the threads stop */
    bool running;         /* lock: threads started and not yet joined */
    pthread_t tid[LT_NODES_MAX];
    struct lt_bg_arg {
        lt_cluster *cl;
        int node;
    } args[LT_NODES_MAX];    /* immutable */
    int leads[LT_NODES_MAX]; /* __atomic: release at a flip, acquire in a round */
};

int
__lt_bg_init(lt_cluster *cl)
{
    pthread_condattr_t attr;
    lt_bg *bg;
    int i;

    if ((bg = calloc(1, sizeof(*bg))) == NULL)
        return (ENOMEM);
    (void)pthread_mutex_init(&bg->lock, NULL);
    (void)pthread_condattr_init(&attr);
    (void)pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    (void)pthread_cond_init(&bg->cond, &attr);
    (void)pthread_condattr_destroy(&attr);
    for (i = 0; i < LT_NODES_MAX; i++) {
        bg->args[i].cl = cl;
        bg->args[i].node = i;
    }
    cl->bg = bg;
    return (0);
}

void
__lt_bg_role(lt_cluster *cl, int node, lt_role role)
{
    __atomic_store_n(&cl->bg->leads[node], role == LT_LEADER ? 1 : 0, __ATOMIC_RELEASE);
}

/* One round on node: a checkpoint at ts (0: the newest commit) if the node leads and a commit is
 * newer than the last checkpoint. 0: published; EAGAIN: nothing to do; else the checkpoint's
 * error (EINVAL: the node stepped down since the flag read). */
static int
lt_bg_round(lt_cluster *cl, int node, uint64_t ts, uint64_t *idp)
{
    lt_bg *bg = cl->bg;
    uint64_t newest, last;
    int leads;

    if (LT_FAULT(cl, LT_FAULT_FLAG_PLAIN_READ))
        leads = bg->leads[node]; /* upstream's plain read of a flag a flip writes */
    else
        leads = __atomic_load_n(&bg->leads[node], __ATOMIC_ACQUIRE);
    if (!leads)
        return (EAGAIN);
    newest = atomic_load_explicit(&cl->max_commit_ts, memory_order_acquire);
    if (ts != 0 && ts < newest)
        newest = ts;
    __lt_mutex_lock(cl, &cl->ckpt_lock, -1);
    last = cl->ckpt_ts;
    __lt_mutex_unlock(&cl->ckpt_lock);
    if (newest <= last)
        return (EAGAIN);
    LT_YIELD(cl, "bg.after_role_read", node);
    /* Refused (EINVAL) if the node stepped down since the flag was read: nothing to do. */
    return (__lt_checkpoint_run(cl, node, ts, idp, !LT_FAULT(cl, LT_FAULT_BG_NO_RECHECK)));
}

int
lt_node_background_round(lt_cluster *cl, int node, uint64_t ts, uint64_t *idp)
{
    int rc;

    __lt_api_enter();
    if (__lt_node(cl, node) == NULL)
        return (__lt_err(cl, EINVAL, "background round: no node %d", node));
    if ((rc = lt_bg_round(cl, node, ts, idp)) == EAGAIN)
        return (__lt_err(cl, EAGAIN,
          "background round on node %d: it does not lead, or nothing is newer than the last "
          "checkpoint",
          node));
    return (rc);
}

static void *
lt_bg_main(void *arg)
{
    struct lt_bg_arg *a = arg;
    lt_bg *bg = a->cl->bg;
    struct timespec ts;
    uint64_t at;

    __lt_thread_enter();
    (void)pthread_mutex_lock(&bg->lock);
    while (bg->ms > 0) {
        (void)clock_gettime(CLOCK_MONOTONIC, &ts);
        at = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec + (uint64_t)bg->ms * 1000000u;
        ts.tv_sec = (time_t)(at / 1000000000u);
        ts.tv_nsec = (long)(at % 1000000000u);
        if (pthread_cond_timedwait(&bg->cond, &bg->lock, &ts) != ETIMEDOUT || bg->ms == 0)
            continue;
        (void)pthread_mutex_unlock(&bg->lock);
        (void)lt_bg_round(a->cl, a->node, 0, NULL);
        (void)pthread_mutex_lock(&bg->lock);
    }
    (void)pthread_mutex_unlock(&bg->lock);
    return (NULL);
}

/* Stop and join the threads (the caller is not one of them). */
static void
lt_bg_stop(lt_bg *bg, int nnodes)
{
    int i;
    bool running;

    (void)pthread_mutex_lock(&bg->lock);
    bg->ms = 0;
    running = bg->running;
    bg->running = false;
    (void)pthread_cond_broadcast(&bg->cond);
    (void)pthread_mutex_unlock(&bg->lock);
    for (i = 0; running && i < nnodes; i++)
        (void)pthread_join(bg->tid[i], NULL);
}

int
lt_cluster_set_background(lt_cluster *cl, int checkpoint_ms)
{
    lt_bg *bg;
    int i, rc;

    __lt_api_enter();
    if (!__lt_cluster_is_open(cl))
        return (__lt_err(NULL, EINVAL, "lt_cluster_set_background: not an open cluster"));
    if (checkpoint_ms < 0)
        return (
          __lt_err(cl, EINVAL, "lt_cluster_set_background: negative interval %d", checkpoint_ms));
    bg = cl->bg;
    lt_bg_stop(bg, cl->nnodes);
    if (checkpoint_ms == 0)
        return (0);
    (void)pthread_mutex_lock(&bg->lock);
    bg->ms = checkpoint_ms;
    bg->running = true;
    (void)pthread_mutex_unlock(&bg->lock);
    for (i = 0; i < cl->nnodes; i++)
        if ((rc = pthread_create(&bg->tid[i], NULL, lt_bg_main, &bg->args[i])) != 0) {
            (void)pthread_mutex_lock(&bg->lock);
            bg->ms = 0;
            (void)pthread_cond_broadcast(&bg->cond);
            (void)pthread_mutex_unlock(&bg->lock);
            while (--i >= 0)
                (void)pthread_join(bg->tid[i], NULL);
            bg->running = false;
            return (__lt_err(cl, rc, "lt_cluster_set_background: cannot start a thread: %s",
              strerror(rc)));
        }
    return (0);
}

void
__lt_bg_free(lt_cluster *cl)
{
    if (cl->bg == NULL)
        return;
    lt_bg_stop(cl->bg, cl->nnodes);
    (void)pthread_cond_destroy(&cl->bg->cond);
    (void)pthread_mutex_destroy(&cl->bg->lock);
    free(cl->bg);
    cl->bg = NULL;
}
