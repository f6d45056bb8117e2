/*
 * sched_order.h -- a free run's order: each harness thread's scheduling points (the library's
 * yield points, the operation boundaries, the harness's locks and sleeps: the wrappers of
 * sched.h) and library events, each numbered from one global counter, so that a controlled run
 * can follow the same order (--sched follow, sched_follow.c).
 *
 * A thread records once it attached (lr_order_attach); the wrappers note a point behind one
 * branch on a thread-local pointer. Each thread keeps at most max items (the rest is lost and
 * the file says so), so memory is bounded; the file is written only when asked (a failing run).
 *
 * The file:
 *     # comments
 *     thread ID ITEMS [truncated]
 *     SEQ VERB NAME IDX DETAIL LEAVE    (ITEMS lines, the thread's items in its own order)
 *     end TOTAL
 * VERB is at, lock, rdlock, wrlock, sleep, event or mark; DETAIL (hex) an event's op and rc, else
 * 0; SEQ is the number taken when the thread reached the point, LEAVE when it went on from it (the
 * same unless it slept or was delayed there: another number from the same counter).
 */
#ifndef LR_SCHED_ORDER_H
#define LR_SCHED_ORDER_H

#include <stddef.h>
#include <stdint.h>

/* Thread ids an order keeps (the stress engine's: the controller, workers, maintenance). */
#define LR_ORDER_THREADS 512
/* Items a thread keeps by default: 40 bytes each, 10 MiB a thread at most. */
#define LR_ORDER_MAX_ITEMS (1u << 18)

typedef struct lr_order lr_order;

/* A recorder keeping at most max items a thread. NULL: out of memory. */
lr_order *lr_order_new(size_t max);
/* Free it, once no attached thread runs any more. */
void lr_order_free(lr_order *o);
/* The calling thread records into o as thread id (o NULL: it stops recording). */
void lr_order_attach(lr_order *o, int id);
/* Items noted, and items lost to the per-thread bound. */
uint64_t lr_order_count(const lr_order *o);
uint64_t lr_order_lost(const lr_order *o);
/* Write the file (header: a comment line without its '#'). Quiescent threads only. Returns 0 or
 * an errno. */
int lr_order_write(const lr_order *o, const char *path, const char *header);

/* "at", "lock", ... for LR_OV_*; NULL for none. */
const char *lr_order_verb_name(int verb);

#endif /* LR_SCHED_ORDER_H */
