/*
 * meta.c -- the durable record of the newest published checkpoint. One WiredTiger table with
 * logging on (the library's data tables have it off), "table:layered_meta", key (record id,
 * table name), value (stable id, born, timestamp, configuration):
 *   (0, "")    the home's header: (nodes, format, 0, LT_META_MAGIC), written at creation;
 *   (id, "")   the record's head: (0, 0, ts, "");
 *   (id, name) one table of the record: (stable id, born, 0, configuration).
 * A publication replaces the previous record in one transaction committed with a synced log, after
 * its WiredTiger named checkpoint: the log is sequential, so a durable record implies a durable
 * checkpoint (whose files WiredTiger synced before it updated its metadata).
 */
#include "lt_recover.h"

#define LT_META_URI "table:layered_meta"
#define LT_META_MAGIC "liblayered"
#define LT_META_FORMAT 1

/* Ack-before-durable (test-only): an odd record is acknowledged but only queued, never synced. */
#define lt_meta_deferred(cl, ck) (LT_FAULT(cl, LT_FAULT_ACK_BEFORE_DURABLE) && ((ck)->id & 1) != 0)

static int
lt_meta_put(WT_CURSOR *c, uint64_t id, const char *name, uint64_t a, uint64_t b, uint64_t ts,
  const char *s)
{
    c->set_key(c, id, name);
    c->set_value(c, a, b, ts, s);
    return (c->insert(c));
}

/* The header (ck NULL) or ck's record, in one transaction committed with a synced log. */
static int
lt_meta_txn(lt_cluster *cl, WT_SESSION *wt, const lt_ckpt *ck)
{
    WT_CURSOR *c;
    uint64_t id;
    const char *name;
    int i, rc;

    if ((rc = wt->open_cursor(wt, LT_META_URI, NULL, NULL, &c)) != 0)
        return (rc);
    if ((rc = wt->begin_transaction(wt, NULL)) != 0) {
        (void)c->close(c);
        return (rc);
    }
    if (ck == NULL)
        rc = lt_meta_put(c, 0, "", (uint64_t)cl->nnodes, LT_META_FORMAT, 0, LT_META_MAGIC);
    else {
        /* The previous record goes in the same transaction: exactly one is ever durable. */
        while (rc == 0 && (rc = c->next(c)) == 0)
            if ((rc = c->get_key(c, &id, &name)) == 0 && id != 0)
                rc = c->remove(c);
        if (rc == WT_NOTFOUND)
            rc = 0;
        if (rc == 0)
            rc = lt_meta_put(c, ck->id, "", 0, 0, ck->ts, "");
        for (i = 0; rc == 0 && i < ck->ntables; i++)
            rc = lt_meta_put(c, ck->id, ck->tables[i].name, ck->tables[i].stable->id,
              ck->tables[i].stable->born, 0, ck->tables[i].stable->cfg);
    }
    (void)c->close(c);
    if (rc != 0) {
        (void)wt->rollback_transaction(wt, NULL);
        return (rc);
    }
    return (wt->commit_transaction(wt, "sync=on"));
}

int
__lt_meta_create(lt_cluster *cl, WT_SESSION *wt)
{
    int rc;

    if ((rc = wt->create(wt, LT_META_URI,
           "key_format=QS,value_format=QQQS,log=(enabled=true),exclusive=true")) != 0 ||
      (rc = lt_meta_txn(cl, wt, NULL)) != 0)
        return (__lt_err(cl, rc, "cannot create the durable checkpoint record in '%s': %s",
          cl->home, wiredtiger_strerror(rc)));
    return (0);
}

int
__lt_meta_publish(lt_cluster *cl, WT_SESSION *wt, const lt_ckpt *ck)
{
    int rc;

    if (lt_meta_deferred(cl, ck))
        return (0);
    if ((rc = lt_meta_txn(cl, wt, ck)) != 0)
        return (__lt_err(cl, rc, "checkpoint %" PRIu64 ": cannot make its record durable: %s",
          ck->id, wiredtiger_strerror(rc)));
    return (0);
}

/* Add one table row to rec; ENOMEM. */
static int
lt_meta_add(lt_meta_rec *rec, const char *name, uint64_t sid, uint64_t born, const char *cfg)
{
    lt_meta_table *t;

    if ((t = realloc(rec->tables, (size_t)(rec->ntables + 1) * sizeof(*t))) == NULL)
        return (ENOMEM);
    rec->tables = t;
    t = &rec->tables[rec->ntables++];
    (void)snprintf(t->name, sizeof(t->name), "%s", name);
    (void)snprintf(t->cfg, sizeof(t->cfg), "%s", cfg);
    t->sid = sid;
    t->born = born;
    return (0);
}

int
__lt_meta_read(lt_cluster *cl, WT_SESSION *wt, lt_meta_rec *rec)
{
    WT_CURSOR *c;
    uint64_t id, a, b, ts;
    const char *name, *s;
    bool header;
    int rc;

    memset(rec, 0, sizeof(*rec));
    if ((rc = wt->open_cursor(wt, LT_META_URI, NULL, NULL, &c)) != 0)
        return (__lt_err(cl, EINVAL,
          "'%s' holds a WiredTiger database but no cluster: no durable checkpoint record (%s)",
          cl->home, wiredtiger_strerror(rc)));
    header = false;
    while ((rc = c->next(c)) == 0) {
        if ((rc = c->get_key(c, &id, &name)) != 0 || (rc = c->get_value(c, &a, &b, &ts, &s)) != 0)
            break;
        if (id == 0) {
            header = strcmp(s, LT_META_MAGIC) == 0 && b == LT_META_FORMAT && a >= 1 &&
              a <= LT_NODES_MAX && name[0] == '\0';
            rec->nodes = (int)a;
        } else if (name[0] == '\0') {
            rec->id = id;
            rec->ts = ts;
        } else if (strlen(name) > LT_NAME_MAX || strlen(s) > LT_NAME_MAX || a == 0) {
            rc = EINVAL;
            break;
        } else if ((rc = lt_meta_add(rec, name, a, b, s)) != 0)
            break;
    }
    (void)c->close(c);
    if (rc == WT_NOTFOUND)
        rc = 0;
    if (rc == 0 && (!header || (rec->id == 0 && rec->ntables != 0)))
        rc = EINVAL;
    if (rc != 0) {
        free(rec->tables);
        rec->tables = NULL;
        return (__lt_err(cl, rc == ENOMEM ? ENOMEM : EINVAL,
          "'%s': the durable checkpoint record is damaged or of another format (%s)", cl->home,
          wiredtiger_strerror(rc)));
    }
    return (0);
}
