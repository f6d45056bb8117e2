/*
 * checker.h -- the checks run over a run's history and state: I5 (no schema operation's effect
 * overlaps a transition on its node), the hook's accounting, I4 (no stable write by a
 * follower), failed transitions; and the violation list they fill. The invariants:
 * docs/CONTRACT.md#invariants.
 */
#ifndef LR_CHECKER_H
#define LR_CHECKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stress/engine.h"
#include "stress/history.h"

/* Count one violation of invariant in res->tally (lr_result_violation does). */
void lr_result_tally(lr_result *res, const char *invariant);
/* Add a violation (not thread-safe: the engine serialises online reports). */
void lr_result_violation(lr_result *res, const char *invariant, const lr_rec *a, const lr_rec *b,
  int node, const char *table, const char *fmt, ...) __attribute__((format(printf, 7, 8)));

/*
 * What the event checks carry from one window of history to the next. A window is cut where no
 * transition, schema operation or checkpoint is open (a quiescent check), but a node's role
 * generation, its step-down boundary and its schema epoch last across the cut: without them a
 * stable write or a publish just after a cut would be judged with no context. Owner: the thread
 * that runs the checks (the stress driver's, threads parked). Zeroed: a history's start.
 */
typedef struct {
    uint32_t gen[LT_NODES_MAX];   /* each node's role generation, from its flips (0: none yet) */
    uint64_t bseq[LT_NODES_MAX];  /* its last step-down boundary's sequence number */
    uint64_t epoch[LT_NODES_MAX]; /* its schema epoch */
    bool past[LT_NODES_MAX];      /* past its boundary, before its next step-up flip */
} lr_check_carry;

/* I5, hook accounting, I4 and failed transitions over the sorted history; carry NULL: the whole
 * history from its start, else the window after the one that filled carry (updated). */
void lr_check_history(const lr_rec *recs, size_t n, int nnodes, lr_check_carry *carry,
  lr_result *res);

/* The boundary verdict and I9 (boundary.c), run beside lr_check_history (carry: the same). */
void lr_check_boundary(const lr_rec *recs, size_t n, int nnodes, lr_check_carry *carry,
  lr_result *res);

/* The hook's admit, reject and wait-end events in recs, added to counts. */
void lr_hook_event_counts(const lr_rec *recs, size_t n, uint64_t counts[3]);
/* The hook's counters against the events that reported them (before: those of earlier windows). */
void lr_check_hook_counts(const lr_rec *recs, size_t n, const uint64_t before[3],
  const lt_hook_stats *hs, lr_result *res);

/*
 * Give the final check's table violations (I1, I7: found by comparing state, not events) their
 * context from the history: the last schema operation that took effect on the table, and the
 * last role flip of the violation's node. They become the violation's events.
 */
void lr_check_annotate(const lr_rec *recs, size_t n, lr_result *res);

#endif /* LR_CHECKER_H */
