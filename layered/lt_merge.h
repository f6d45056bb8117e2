/*
 * lt_merge.h -- the read path's pieces beyond lt_internal.h's: one constituent's candidate and
 * an ingest-only point read (merge.c), and search_near (search_near.c), which compares the
 * candidates as upstream's follower does rather than as the merge does.
 */
#ifndef LT_MERGE_H
#define LT_MERGE_H

#include "lt_internal.h"

/*
 * One constituent's candidate alone: stable's, or ingest's settled up to bound (NULL: none), from
 * key in direction dir. Moves that constituent's cursor; the caller invalidates the merge first.
 */
int __lt_merge_cand(lt_cursor *c, bool ingest, const char *key, size_t klen, int dir, bool incl,
  lt_cand *cand, const lt_cand *bound);
int __lt_search_near(lt_cursor *c, const char *target, size_t tlen, int *exactp);
/* The user key and version of the ingest row ic stands on. */
int __lt_ing_key(WT_CURSOR *ic, const char **keyp, size_t *klenp, uint64_t *tsp);
/* A point read of the key's ingest versions alone (its newest above the cut): point_read.c. */
int __lt_ingest_read(lt_cursor *c, const char *key, size_t klen, const void **valp, size_t *vlenp);

/* park.c: a follower's view outside a transaction, where a step may leave a candidate parked;
 * and whether a step may use it (both outside transactions, no view epoch change since). */
#define LT_PARK_SETTLE 8 /* keys an eager settle examines before it pauses again */
bool __lt_park_view(lt_cursor *c);
bool __lt_park_holds(lt_cursor *c);

#endif
