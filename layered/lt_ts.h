/*
 * lt_ts.h -- per-node timestamps (timestamp.c). Each node has its own oldest and stable
 * timestamps, as each upstream node is its own WiredTiger connection; the cluster's one
 * connection is kept from vetoing what a node's own timestamps allow:
 *   - WiredTiger's oldest timestamp is the minimum of the nodes' (set once every node has one);
 *   - WiredTiger's stable timestamp is 1, but during a checkpoint's window (the checkpoint's
 *     timestamp, under cluster.window_lock); commits below it wait for the window to close.
 */
#ifndef LT_TS_H
#define LT_TS_H

#include "lt_internal.h"

/* Reads at read_ts on the session's node: EINVAL below the node's oldest timestamp. */
int __lt_ts_check_read(lt_session *s, uint64_t read_ts);
/* A commit (or, prepared, its durable timestamp) against the node's oldest and stable. */
int __lt_ts_check_commit(lt_session *s, uint64_t commit_ts, uint64_t durable_ts, bool prepared);
int __lt_ts_check_prepare(lt_session *s, uint64_t prepare_ts);

/* Raise node n's stable timestamp to ts (a checkpoint published or picked up; ckpt_lock held). */
void __lt_ts_raise_stable_locked(lt_node *n, uint64_t ts);
/* Auto mode: each node's oldest follows its stable, held back by reader pins; then WiredTiger's
 * oldest follows the nodes' minimum (ckpt_lock held). */
void __lt_ts_oldest_locked(lt_cluster *cl);
/* The timestamp below which node n's drain writes versions at it: its stable (or oldest). */
uint64_t __lt_ts_floor(lt_node *n);

/* Whether a commit at ts would meet the window (WiredTiger refuses it until the window closes). */
bool __lt_ts_window_blocks(lt_cluster *cl, uint64_t ts);
/* Outside any read-side section: wait until no window blocks a commit at ts. */
void __lt_ts_window_wait(lt_cluster *cl, uint64_t ts);
/* A checkpoint at ts: open the window (node.transition_lock held), and close it. */
int __lt_ts_window_open(lt_cluster *cl, int node, uint64_t ts);
void __lt_ts_window_close(lt_cluster *cl);

#endif /* LT_TS_H */
