/*
 * cluster.c -- the top of the library: opening and closing a cluster, and the node-level
 * queries and settings (information, leader, policies, hook statistics).
 */
#include "lt_bg.h"
#include "lt_recover.h"
#include "lt_wtfault.h"

#include <sys/stat.h>
#include <unistd.h>

void
lt_cluster_config_init(lt_cluster_config *cfg)
{
    if (cfg == NULL)
        return;
    memset(cfg, 0, sizeof(*cfg));
    cfg->nodes = 3;
    cfg->policy = LT_POLICY_REJECT;
    cfg->wait_timeout_ms = 10000;
}

static int
lt_prepare_home(const char *home, bool recover)
{
    struct stat sb;
    char path[4096];

    if (recover) { /* the home a cluster left: WiredTiger's turtle file says there is one */
        (void)snprintf(path, sizeof(path), "%s/WiredTiger", home);
        if (stat(path, &sb) != 0)
            return (__lt_err(NULL, ENOENT, "'%s' holds no database to recover", home));
        return (0);
    }
    if (stat(home, &sb) != 0) {
        if (mkdir(home, 0755) != 0)
            return (__lt_err(NULL, errno, "cannot create the cluster directory '%s': %s", home,
              strerror(errno)));
        return (0);
    }
    if (!S_ISDIR(sb.st_mode))
        return (__lt_err(NULL, EINVAL, "'%s' exists and is not a directory", home));
    (void)snprintf(path, sizeof(path), "%s/WiredTiger", home);
    if (stat(path, &sb) == 0)
        return (__lt_err(NULL, EEXIST,
          "'%s' already holds a database; a cluster needs a fresh directory", home));
    return (0);
}

/* A fresh home gets its durable record's header; a reopened one is recovered (recover.c). */
static int
lt_cluster_durable(lt_cluster *cl)
{
    WT_SESSION *wt;
    int rc;

    if (cl->cfg.recover)
        return (__lt_recover(cl));
    if ((rc = __lt_wt_open_session(cl, &wt)) != 0)
        return (rc);
    rc = __lt_meta_create(cl, wt);
    (void)wt->close(wt, NULL);
    return (rc);
}

int
lt_cluster_open(const lt_cluster_config *cfg, lt_cluster **clusterp)
{
    lt_cluster *cl;
    lt_node *n;
    lt_state *st;
    char *wtcfg, msg[LT_ERRMSG_MAX];
    size_t len;
    int i, rc;

    __lt_api_enter();
    if (clusterp == NULL)
        return (__lt_err(NULL, EINVAL, "lt_cluster_open: NULL cluster pointer"));
    *clusterp = NULL;
    if (cfg == NULL || cfg->home == NULL || cfg->home[0] == '\0')
        return (__lt_err(NULL, EINVAL, "lt_cluster_open: no home directory configured"));
    if (cfg->nodes < 1 || cfg->nodes > LT_NODES_MAX)
        return (__lt_err(NULL, EINVAL, "lt_cluster_open: %d nodes; a cluster has 1 to %d",
          cfg->nodes, LT_NODES_MAX));
    if ((unsigned)cfg->policy > LT_POLICY_BOUNDARY)
        return (__lt_err(NULL, EINVAL, "lt_cluster_open: unknown policy %d", (int)cfg->policy));
#ifndef LT_FAULTS
    if (cfg->faults != 0)
        return (__lt_err(NULL, EINVAL,
          "lt_cluster_open: fault injections need the test-only build (LT_FAULTS)"));
#endif
    if ((rc = lt_wtfault_check(cfg->wt_faults, NULL, 0)) != 0)
        return (rc);
    if ((rc = lt_prepare_home(cfg->home, cfg->recover != 0)) != 0)
        return (rc);

    if ((cl = calloc(1, sizeof(*cl))) == NULL)
        return (__lt_err(NULL, ENOMEM, "lt_cluster_open: out of memory"));
    cl->cfg = *cfg;
    cl->faults = cfg->faults;
    cl->cfg.wt_faults = NULL; /* the caller's string: parsed here, never read again */
    if ((rc = __lt_wtf_open(cl, cfg->wt_faults)) != 0) {
        free(cl);
        return (rc);
    }
    if (cl->cfg.wait_timeout_ms == 0)
        cl->cfg.wait_timeout_ms = 10000;
    cl->home = strdup(cfg->home);
    cl->nnodes = cfg->nodes;
    cl->leader = -1;
    __lt_mutex_init(&cl->role_lock, LT_RANK_ROLE, "cluster.role_lock");
    __lt_mutex_init(&cl->window_lock, LT_RANK_WINDOW, "cluster.window_lock");
    __lt_mutex_init(&cl->ckpt_lock, LT_RANK_CKPT, "cluster.ckpt_lock");
    __lt_mutex_init(&cl->stable_lock, LT_RANK_STABLE, "cluster.stable_lock");
    __lt_mutex_init(&cl->sessions_lock, LT_RANK_SESSIONS, "cluster.sessions_lock");
    for (i = 0; i < cl->nnodes; i++) {
        n = &cl->nodes[i];
        n->cl = cl;
        n->id = i;
        __lt_mutex_init(&n->transition_lock, LT_RANK_TRANSITION, "node.transition_lock");
        __lt_mutex_init(&n->catalog_lock, LT_RANK_CATALOG, "node.catalog_lock");
        __lt_mutex_init(&n->hook_lock, LT_RANK_HOOK, "node.hook_lock");
        __lt_sx_init(n);
        __lt_cond_init(&n->hook_cond);
        /* Not shared yet: plain initialisation (the registry's lock publishes the cluster). */
        atomic_init(&n->policy, (int)cfg->policy);
        if ((st = calloc(1, sizeof(*st))) == NULL) {
            rc = __lt_err(NULL, ENOMEM, "lt_cluster_open: out of memory");
            goto err;
        }
        st->role = LT_FOLLOWER;
        st->generation = 1;
        atomic_init(&n->state, st);
    }

    /*
     * Metadata is logged (schema operations are several times faster that way); every table the
     * library creates turns logging off, which timestamps need. Metadata alone needs little log:
     * 8 MB files (WiredTiger preallocates two more) keep a database at ~25 MB instead of ~300 MB,
     * which matters when every test and stress run leaves one behind.
     */
    len = 256 + (cfg->wt_config != NULL ? strlen(cfg->wt_config) : 0);
    if ((wtcfg = malloc(len)) == NULL) {
        rc = __lt_err(NULL, ENOMEM, "lt_cluster_open: out of memory");
        goto err;
    }
    (void)snprintf(wtcfg, len,
      "create,log=(enabled=true,file_max=8MB),cache_size=256MB,session_max=1000%s%s",
      cfg->wt_config != NULL ? "," : "", cfg->wt_config != NULL ? cfg->wt_config : "");
    rc = __lt_wt_open_conn(cl->home, wtcfg, &cl->conn);
    free(wtcfg);
    if (rc != 0) {
        rc = __lt_err(NULL, rc, "cannot open WiredTiger in '%s': %s", cl->home,
          wiredtiger_strerror(rc));
        cl->conn = NULL;
        goto err;
    }
    if (__lt_bg_init(cl) != 0) {
        (void)cl->conn->close(cl->conn, NULL);
        rc = __lt_err(NULL, ENOMEM, "lt_cluster_open: out of memory");
        goto err;
    }
    if (!__lt_cluster_register(cl, true)) {
        (void)cl->conn->close(cl->conn, NULL);
        __lt_bg_free(cl);
        rc = __lt_err(NULL, EMFILE, "lt_cluster_open: more than %d clusters open", LT_OPEN_MAX);
        goto err;
    }
    if ((rc = lt_cluster_durable(cl)) != 0) {
        len = strlen(lt_strerror(rc)); /* the message without its "CODE: " */
        (void)snprintf(msg, sizeof(msg), "%s",
          strncmp(lt_last_error(), lt_strerror(rc), len) == 0 && lt_last_error()[len] == ':' ?
            lt_last_error() + len + 2 :
            lt_last_error());
        (void)lt_cluster_close(cl); /* clears the thread's message */
        return (__lt_err(NULL, rc, "%s", msg));
    }
    if (cfg->bg_checkpoint_ms > 0 &&
      (rc = lt_cluster_set_background(cl, cfg->bg_checkpoint_ms)) != 0) {
        (void)lt_cluster_close(cl);
        return (rc);
    }
    *clusterp = cl;
    return (0);

err:
    for (i = 0; i < cl->nnodes; i++)
        free(atomic_load_explicit(&cl->nodes[i].state, memory_order_relaxed)); /* unshared */
    __lt_wtf_close(cl);
    free(cl->home);
    free(cl);
    return (rc);
}

int
lt_cluster_nodes(lt_cluster *cl)
{
    return (__lt_cluster_is_open(cl) ? cl->nnodes : 0);
}

WT_CONNECTION *
lt_cluster_connection(lt_cluster *cl)
{
    return (__lt_cluster_is_open(cl) ? cl->conn : NULL);
}

int
lt_cluster_close(lt_cluster *cl)
{
    lt_entry *e, *enext;
    lt_stable *st, *snext;
    lt_session *s;
    lt_node *n;
    int i, rc;

    __lt_api_enter();
    if (cl == NULL)
        return (0);
    if (!__lt_cluster_is_open(cl))
        return (__lt_err(NULL, EINVAL, "lt_cluster_close: not an open cluster"));
    __lt_bg_free(cl); /* before the nodes go: the threads use them */
    atomic_store_explicit(&cl->closing, 1, memory_order_relaxed); /* see lt_cluster */
    (void)__lt_cluster_register(cl, false);
    for (;;) { /* the sessions still open close with the cluster */
        __lt_mutex_lock(cl, &cl->sessions_lock, -1);
        s = cl->sessions;
        __lt_mutex_unlock(&cl->sessions_lock);
        if (s == NULL)
            break;
        (void)lt_session_close(s);
    }

    for (i = 0; i < cl->nnodes; i++) {
        n = &cl->nodes[i];
        __lt_mutex_lock(cl, &n->catalog_lock, i);
        for (e = n->entries; e != NULL; e = enext) {
            enext = e->next;
            if (e->stable != NULL)
                __lt_stable_unref(cl, e->stable);
            free(e);
        }
        n->entries = NULL;
        free(n->drops);
        n->drops = NULL;
        __lt_mutex_unlock(&n->catalog_lock);
    }
    __lt_ckpt_free_all(cl);
    /* What is left unreferenced is garbage now; the connection close discards it. */
    __lt_mutex_lock(cl, &cl->stable_lock, -1);
    for (st = cl->stables; st != NULL; st = snext) {
        snext = st->next;
        free(st);
    }
    cl->stables = NULL;
    for (i = 0; i < cl->npending; i++)
        free(cl->pending_drops[i]);
    free(cl->pending_drops);
    __lt_droplog_free(cl);
    __lt_mutex_unlock(&cl->stable_lock);

    rc = cl->conn->close(cl->conn, NULL);
    if (rc != 0)
        rc = __lt_err(cl, rc, "closing WiredTiger in '%s' failed", cl->home);
    for (i = 0; i < cl->nnodes; i++) {
        n = &cl->nodes[i];
        /* Relaxed: every other thread is gone (the API's contract for close). */
        free(atomic_load_explicit(&n->state, memory_order_relaxed));
        __lt_mutex_destroy(&n->transition_lock);
        __lt_mutex_destroy(&n->catalog_lock);
        __lt_mutex_destroy(&n->hook_lock);
        __lt_sx_destroy(n);
        __lt_cond_destroy(&n->hook_cond);
    }
    __lt_mutex_destroy(&cl->role_lock);
    __lt_mutex_destroy(&cl->window_lock);
    __lt_mutex_destroy(&cl->ckpt_lock);
    __lt_mutex_destroy(&cl->stable_lock);
    __lt_mutex_destroy(&cl->sessions_lock);
    __lt_wtf_close(cl);
    free(cl->home);
    free(cl);
    return (rc);
}

int
lt_node_get_info(lt_cluster *cl, int node, lt_node_info *info)
{
    const lt_state *st;
    lt_entry *e;
    lt_node *n;
    bool past;
    int rc;

    __lt_api_enter();
    if ((n = __lt_node(cl, node)) == NULL || info == NULL)
        return (__lt_err(cl, EINVAL, "lt_node_get_info: %s",
          info == NULL ? "NULL info" : "no such node"));
    if ((rc = __lt_hook_probe(n, LT_OP_INFO)) != 0) /* the fault LT_FAULT_HOOK_AT_LOCK only */
        return (rc);
    __lt_rcu_read_lock();
    st = __lt_state_read(n);
    info->role = st->role;
    info->transition = st->transition;
    info->generation = st->generation;
    info->checkpoint_id = st->ckpt_id;
    info->checkpoint_ts = st->ckpt_ts;
    __lt_rcu_read_unlock();
    info->tables = 0;
    __lt_mutex_lock(cl, &n->catalog_lock, node);
    for (e = n->entries; e != NULL; e = e->next)
        info->tables++;
    __lt_mutex_unlock(&n->catalog_lock);
    info->queued = __lt_meta_count(n);
    info->schema_epoch = __lt_sx_epoch(n, &past);
    return (0);
}

int
lt_cluster_leader(lt_cluster *cl)
{
    const lt_state *st;
    int i, leader;

    if (!__lt_cluster_is_open(cl))
        return (-1);
    __lt_thread_enter();
    leader = -1;
    __lt_rcu_read_lock();
    for (i = 0; i < cl->nnodes; i++) {
        st = __lt_state_read(&cl->nodes[i]);
        if (st->role == LT_LEADER)
            leader = i;
    }
    __lt_rcu_read_unlock();
    return (leader);
}

int
lt_set_policy(lt_cluster *cl, int node, lt_policy policy)
{
    int i;

    __lt_api_enter();
    if (!__lt_cluster_is_open(cl) || (unsigned)policy > LT_POLICY_BOUNDARY)
        return (__lt_err(cl, EINVAL, "lt_set_policy: %s",
          cl == NULL ? "NULL cluster" : "unknown policy"));
    if (node != -1 && __lt_node(cl, node) == NULL)
        return (
          __lt_err(cl, EINVAL, "lt_set_policy: no node %d (the cluster has %d)", node, cl->nnodes));
    for (i = 0; i < cl->nnodes; i++)
        if (node == -1 || node == i)
            /* Relaxed: the policy is a lone value (lt_node). */
            atomic_store_explicit(&cl->nodes[i].policy, (int)policy, memory_order_relaxed);
    return (0);
}

int
lt_get_policy(lt_cluster *cl, int node, lt_policy *policyp)
{
    lt_node *n;

    __lt_api_enter();
    if ((n = __lt_node(cl, node)) == NULL || policyp == NULL)
        return (__lt_err(cl, EINVAL, "lt_get_policy: bad node or NULL pointer"));
    *policyp = (lt_policy)atomic_load_explicit(&n->policy, memory_order_relaxed); /* lt_node */
    return (0);
}

int
lt_hook_get_stats(lt_cluster *cl, int node, lt_hook_stats *stats)
{
    lt_node *n;
    uint64_t mx;
    int i;

    __lt_api_enter();
    if (!__lt_cluster_is_open(cl) || stats == NULL || (node != -1 && __lt_node(cl, node) == NULL))
        return (__lt_err(cl, EINVAL, "lt_hook_get_stats: bad cluster, node or NULL pointer"));
    if (node != -1 && (i = __lt_hook_probe(&cl->nodes[node], LT_OP_INFO)) != 0)
        return (i); /* the fault LT_FAULT_HOOK_AT_LOCK only */
    memset(stats, 0, sizeof(*stats));
    for (i = 0; i < cl->nnodes; i++) {
        if (node != -1 && node != i)
            continue;
        n = &cl->nodes[i];
        stats->admitted += __lt_stat_read(&n->st_admitted);
        stats->rejected += __lt_stat_read(&n->st_rejected);
        stats->waited += __lt_stat_read(&n->st_waited);
        stats->timed_out += __lt_stat_read(&n->st_timed_out);
        stats->wait_ns += __lt_stat_read(&n->st_wait_ns);
        stats->transitions += __lt_stat_read(&n->st_transitions);
        stats->overlapped += __lt_stat_read(&n->st_overlapped);
        mx = __lt_stat_read(&n->st_transition_max_ns);
        if (mx > stats->transition_max_ns)
            stats->transition_max_ns = mx;
    }
    return (0);
}
