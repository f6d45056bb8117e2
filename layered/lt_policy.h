/*
 * lt_policy.h -- the lock-based Role Transition Isolation policies, upstream and boundary
 * (policy.c): upstream's schema lock, the node's schema epoch and step-down boundary, and its
 * queue of metadata entries for lt_publish. Included by lt_internal.h before lt_node.
 */
#ifndef LT_POLICY_H
#define LT_POLICY_H

/* What a lock-based admission took (lt_ticket.locks); __lt_hook_exit releases it. */
#define LT_HOLD_CKPT 0x1u   /* node.transition_lock: upstream's checkpoint lock */
#define LT_HOLD_SCHEMA 0x2u /* node.sx.lock */
#define LT_HOLD_LATE 0x4u   /* fault: the operation takes the schema lock itself, late */

/* A metadata entry a leader's create queued for publication. */
typedef struct lt_meta {
    char name[LT_NAME_MAX + 1];
    uint64_t epoch; /* the schema epoch the create saw when it read the role */
    struct lt_meta *next;
} lt_meta;

/*
 * Protocol. lock is upstream's schema lock: under upstream and boundary, create, drop and publish
 * hold it from admission to exit (drop waiting for the checkpoint lock, truncate and verify take
 * node.transition_lock first); a step-down under upstream and a step-up under boundary hold it
 * for the whole transition, a step-down under boundary only while it sets the boundary. The
 * other fields are written under meta_lock; epoch, past and nqueued are also read without it
 * (relaxed: a reader that must see a boundary holds the schema lock, which orders it after the
 * writer; the others read a lone value).
 */
typedef struct {
    lt_mutex lock;
    lt_mutex meta_lock;
    _Atomic uint64_t epoch; /* meta_lock to write: bumped by every step-down's boundary */
    uint64_t boundary_ts;   /* node.transition_lock: the last step-down timestamp */
    _Atomic bool past;      /* meta_lock to write: past a boundary, no step-up flipped since */
    lt_meta *queue;         /* meta_lock */
    _Atomic int nqueued;    /* meta_lock to write */
} lt_schema_state;

struct lt_node;
struct lt_ticket;
bool __lt_mutex_trylock(lt_cluster *cl, lt_mutex *m, int node); /* sync.c */
void __lt_sx_init(struct lt_node *n);
void __lt_sx_destroy(struct lt_node *n);
/* Admission and exit under upstream and boundary (the hook's lock-based half). */
int __lt_hook_lock_enter(struct lt_node *n, struct lt_ticket *t, lt_policy policy);
void __lt_hook_lock_exit(struct lt_node *n, struct lt_ticket *t);
/* The fault LT_FAULT_STEPDOWN_LEAK: the create takes the schema lock now. */
void __lt_hook_late_lock(struct lt_node *n, struct lt_ticket *t);
/* A transition: take the schema lock for its whole length if the policy says so (LT_HOLD_*). */
unsigned __lt_sx_transition_enter(struct lt_node *n, lt_transition tr);
void __lt_sx_transition_exit(struct lt_node *n, unsigned held);
/* Step-down: set the boundary (schema lock held or taken), empty the queue. Step-up: new era. */
void __lt_sx_boundary(struct lt_node *n, unsigned held);
void __lt_sx_new_era(struct lt_node *n);
/* The schema epoch now and whether the node is past a boundary. */
uint64_t __lt_sx_epoch(struct lt_node *n, bool *pastp);
/* Queue a create's entry (epoch: what the create saw); drop takes a table's entry away. */
int __lt_meta_enqueue(struct lt_node *n, const char *name, uint64_t epoch);
void __lt_meta_remove(struct lt_node *n, const char *name);
lt_meta *__lt_meta_take_locked(struct lt_node *n, const char *name);
int __lt_meta_count(struct lt_node *n);
/* Whether the calling thread is inside an admitted operation (a nested hook is skipped). */
bool __lt_hook_inside(void);
int __lt_hook_probe(struct lt_node *n, lt_op op); /* hook.c */
void __lt_hook_inside_add(int delta);

#endif /* LT_POLICY_H */
