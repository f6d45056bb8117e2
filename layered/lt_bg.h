/*
 * lt_bg.h -- the nodes' background threads (bg.c): each publishes checkpoints while its node
 * leads, as upstream's checkpoint server does. Internal to the library.
 */
#ifndef LT_BG_H
#define LT_BG_H

#include "lt_internal.h"

typedef struct lt_bg lt_bg;

/* Allocated at open (cl->bg, immutable until close); threads run only while an interval is set. */
int __lt_bg_init(lt_cluster *cl);
/* Stop and join the threads, free cl->bg (lt_cluster_close). */
void __lt_bg_free(lt_cluster *cl);
/* A role flip of node (transition.c, after the new state is published). */
void __lt_bg_role(lt_cluster *cl, int node, lt_role role);
/* lt_checkpoint's body; recheck false skips the role check under the lock (a fault path). */
int __lt_checkpoint_run(lt_cluster *cl, int node, uint64_t ts, uint64_t *idp, bool recheck);

#endif /* LT_BG_H */
