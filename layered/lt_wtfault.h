/*
 * lt_wtfault.h -- injected WiredTiger errors (wtfault.c): every WiredTiger call the library makes
 * goes through LT_WT (or LT_WT_COMMIT), which may fail it, before it runs, with ENOSPC, EIO,
 * EBUSY, WT_ROLLBACK or WT_PANIC, at chosen sites and occurrences or at a seeded rate
 * (lt_cluster_config.wt_faults; DESIGN.md#injected-wiredtiger-errors). Off, a call costs one
 * predictable branch on cluster.wtf.
 */
#ifndef LT_WTFAULT_H
#define LT_WTFAULT_H

#include "lt_internal.h"

/* The parsed specification and its counters; immutable but for the atomics and the site table. */
typedef struct lt_wtf lt_wtf;

int __lt_wtf_open(lt_cluster *cl, const char *spec);
void __lt_wtf_close(lt_cluster *cl);
/* Whether the call at site fails; if it does, its code is then __lt_wtf_rc(). */
bool __lt_wtf_fire(lt_cluster *cl, const char *site);
int __lt_wtf_rc(void);
/* An injected commit failure: WiredTiger rolls a failed commit back; so does this. */
int __lt_wtf_commit_fail(WT_SESSION *wt);
/* The counters (wtfault_api.c checks the cluster is open); injection off or on again. */
void __lt_wtf_stats(lt_cluster *cl, lt_wtfault_stats *stats);
void __lt_wtf_pause(lt_cluster *cl, bool paused);
/* WT_PANIC with a clear message once an injected panic latched; 0 otherwise. */
int __lt_wtf_refused(lt_cluster *cl, const char *what);

#define LT_WTF_ON(cl) __builtin_expect((cl)->wtf != NULL, 0)
/* A WiredTiger call at a named site: call, unless the injector fails it first. */
#define LT_WT(cl, site, call) \
    (LT_WTF_ON(cl) && __lt_wtf_fire((cl), (site)) ? __lt_wtf_rc() : (call))
#define LT_WT_COMMIT(cl, site, wt, cfg)                                        \
    (LT_WTF_ON(cl) && __lt_wtf_fire((cl), (site)) ? __lt_wtf_commit_fail(wt) : \
                                                    (wt)->commit_transaction((wt), (cfg)))
/* At a public call's entry: refuse all work after an injected panic. */
#define LT_WTF_REFUSE(cl, what)                                   \
    do {                                                          \
        if (LT_WTF_ON(cl) && __lt_wtf_refused((cl), (what)) != 0) \
            return (WT_PANIC);                                    \
    } while (0)
/* error.c: the code injected into the calling thread's current public call (0 none), which is
 * no environment failure (__lt_env_note leaves it out). */
void __lt_wtf_note(int rc);

#endif /* LT_WTFAULT_H */
