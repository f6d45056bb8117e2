/*
 * lt_recover.h -- what survives a kill of the process: the durable record of the newest published
 * checkpoint (meta.c, written before the publication is acknowledged) and the reopening of a
 * cluster home from it (recover.c). layered/DESIGN.md, "Recovery after a kill", says what is kept
 * and what is rebuilt.
 */
#ifndef LT_RECOVER_H
#define LT_RECOVER_H

#include "lt_internal.h"

/* One table of the durable record: its name and stable incarnation. */
typedef struct {
    char name[LT_NAME_MAX + 1];
    uint64_t sid, born; /* lt_stable.id and .born */
    char cfg[LT_NAME_MAX + 1];
} lt_meta_table;

/* The durable record as read back (id 0: no checkpoint was ever published durably). */
typedef struct {
    int nodes; /* the cluster size the home was made with */
    uint64_t id, ts;
    int ntables;
    lt_meta_table *tables; /* malloc'd */
} lt_meta_rec;

/* meta.c: the logged table "table:layered_meta" (below checkpoint.c). */
int __lt_meta_create(lt_cluster *cl, WT_SESSION *wt);
/* Make ck's record durable (synced log) before it is published; replaces the previous one. The
 * publishing leader calls it under its node's transition lock: one publication at a time. */
int __lt_meta_publish(lt_cluster *cl, WT_SESSION *wt, const lt_ckpt *ck);
/* Read the record back; EINVAL with a message for a home that is not a cluster's. */
int __lt_meta_read(lt_cluster *cl, WT_SESSION *wt, lt_meta_rec *rec);

/* recover.c: rebuild the records, catalogues and node states of a reopened home (cluster.c). */
int __lt_recover(lt_cluster *cl);

#endif /* LT_RECOVER_H */
