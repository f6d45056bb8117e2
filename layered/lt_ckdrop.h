/*
 * lt_ckdrop.h -- the WiredTiger checkpoints of freed checkpoint records (ckdrop.c): each is
 * dropped with a later checkpoint of its table, in the same WiredTiger call. Used by checkpoint.c.
 */
#ifndef LT_CKDROP_H
#define LT_CKDROP_H

#include "lt_internal.h"

bool __lt_ckdrop_add_locked(lt_cluster *cl, const char *wt_name, const char *uri);
int __lt_ckdrop_checkpoint(lt_cluster *cl, WT_SESSION *wt, lt_ckpt *ck);
void __lt_ckdrop_flush(lt_cluster *cl, WT_SESSION *wt);
void __lt_ckdrop_free_locked(lt_cluster *cl);

#endif /* LT_CKDROP_H */
