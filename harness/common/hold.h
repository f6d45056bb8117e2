/*
 * hold.h -- holding threads at named sites (the library's yield points): a site is armed for a
 * node, the next thread that reaches it there parks until the site is released.
 *
 * The owner supplies the lock and the condition variable, so that its own state can change under
 * the same lock and its waits can watch both; every function is called with that lock held.
 * lr_holds_park waits on the condition variable; every change here broadcasts on it.
 * Leaf module: calls nothing else in the harness.
 */
#ifndef LR_HOLD_H
#define LR_HOLD_H

#include <pthread.h>
#include <stdbool.h>

#define LR_HOLDS 8          /* sites held at once */
#define LR_HOLD_SITE_MAX 48 /* longest site name + 1 */

typedef struct {
    char site[LR_HOLD_SITE_MAX]; /* "" when the slot is free */
    int node;                    /* -1: any node */
    bool armed;                  /* the next thread at (site, node) parks */
    int parked;                  /* threads parked here and not yet released */
    unsigned arm_gen;            /* bumped by every arming */
    unsigned park_gen;           /* the arming the last thread parked under */
    unsigned rel_gen;            /* a thread parked under arming g goes once rel_gen >= g */
} lr_hold;

typedef struct {
    pthread_mutex_t *mu;
    pthread_cond_t *cv;
    lr_hold slot[LR_HOLDS];
    int parked; /* threads parked at any site and not yet released */
} lr_holds;

void lr_holds_init(lr_holds *hs, pthread_mutex_t *mu, pthread_cond_t *cv);
/* Arm site for node (-1: any). 0, ENAMETOOLONG, or ENOSPC with LR_HOLDS other sites in use. */
int lr_holds_arm(lr_holds *hs, const char *site, int node);
/* The armed hold that a thread at (site, node) meets, or NULL. */
lr_hold *lr_holds_match(lr_holds *hs, const char *site, int node);
/* Park the calling thread at h (from lr_holds_match) until h is released. */
void lr_holds_park(lr_holds *hs, lr_hold *h);
/* lr_holds_park in two halves, for a thread that waits elsewhere (a controlled scheduler):
 * count the calling thread as parked at h and return its arming; then wait, under whatever lock
 * the waiter uses, until lr_holds_gone(h, gen). */
unsigned lr_holds_take(lr_holds *hs, lr_hold *h);
bool lr_holds_gone(const lr_hold *h, unsigned gen);
/* Let the threads parked at site go and disarm it; site NULL: every site. A released thread
 * counts as gone from here on, before it wakes. */
void lr_holds_release(lr_holds *hs, const char *site);
/* A thread parked at site under its latest arming. */
bool lr_holds_held(const lr_holds *hs, const char *site);
/* site is armed: no thread has reached it since its latest arming. */
bool lr_holds_armed(const lr_holds *hs, const char *site);

#endif /* LR_HOLD_H */
