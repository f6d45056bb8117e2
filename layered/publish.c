/*
 * publish.c -- lt_publish: a leader publishes a table's metadata entry, queued by its create in
 * the node's schema epoch (the queue and the epoch: policy.c). A schema operation like the others:
 * admitted by the hook (upstream and boundary: under the schema lock).
 */
#include "lt_internal.h"

int
lt_publish(lt_session *s, const char *name)
{
    lt_ticket t;
    lt_node *n;
    lt_meta *m;
    lt_role role;
    uint64_t epoch;
    bool begun, past;
    int rc;

    __lt_api_enter();
    if ((rc = __lt_schema_begin(s, name, LT_OP_PUBLISH, &t, &begun)) != 0)
        goto done;
    n = s->node;
    __lt_rcu_read_lock();
    role = __lt_state_read(n)->role;
    __lt_rcu_read_unlock();
    __lt_mutex_lock(s->cl, &n->sx.meta_lock, n->id);
    epoch = n->sx.epoch;
    past = n->sx.past;
    m = role == LT_LEADER && !past ? __lt_meta_take_locked(n, name) : NULL;
    if (role != LT_LEADER || past)
        rc = __lt_err(s->cl, EINVAL,
          "publish of table %s on node %d: %s (schema epoch %" PRIu64 ")", name, n->id,
          role != LT_LEADER ? "the node is a follower" : "past the step-down boundary", epoch);
    else if (m == NULL)
        rc = __lt_err(s->cl, ENOENT, "publish of table %s on node %d: nothing queued", name, n->id);
    else if (m->epoch != epoch) {
        /* Refused: the entry stays queued (a leak stays visible in lt_node_get_info). */
        m->next = n->sx.queue;
        n->sx.queue = m;
        n->sx.nqueued++;
        rc = __lt_err(s->cl, EINVAL,
          "publish of table %s on node %d: the entry is of schema epoch %" PRIu64
          ", the node at %" PRIu64,
          name, n->id, m->epoch, epoch);
        m = NULL;
    } else
        __lt_node_event(n, LT_EV_SCHEMA_EFFECT, LT_OP_PUBLISH, name, t.opid, 0, m->epoch, 0);
    __lt_mutex_unlock(&n->sx.meta_lock);
    free(m);
done:
    if (begun)
        __lt_schema_end(s, &t, rc);
    return (rc);
}
