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
/* A point read of the key's ingest versions alone (its newest above the cut). */
int __lt_ingest_read(lt_cursor *c, const char *key, size_t klen, const void **valp, size_t *vlenp);

#endif
