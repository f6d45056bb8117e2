/*
 * lt_cursor.h -- a layered cursor (included by lt_internal.h): its struct, its merge candidates,
 * and its position states, as upstream's cursor keeps them:
 *   - gap: a next (gap +1) or prev (gap -1) that returned WT_PREPARE_CONFLICT leaves the cursor
 *     positioned just past pkey (the last key it returned) in that direction, with no key to get.
 *     A retry that way resumes after pkey; a step the other way returns pkey itself first.
 *   - held key: a failed search or search_near, a failed remove by key, and largest_key leave the
 *     cursor unpositioned with a key set (the application's, or the largest key): a retry uses
 *     it, and the next step starts from the first (or last) key.
 *   - read_open: whether the cursor has run a read (search, a step, a lookup of a write). Until
 *     then an overwrite update is blind: it holds its key but no position, so a walk that follows
 *     starts from the first key.
 *   - parked: a follower's ingest candidate kept between two steps outside a transaction
 *     (merge.c, "Parked"; park.c).
 * Owner: the cursor's session's thread, as every cursor field. Below: the position helpers of
 * cursor_pos.c, which merge.c, gate.c and the cursor API call.
 */
#ifndef LT_CURSOR_H
#define LT_CURSOR_H

#define LT_FROM_INGEST 0x1
#define LT_FROM_STABLE 0x2

/* A constituent candidate of a merge: the next key in the current direction. */
typedef struct {
    bool valid;   /* computed for the current position, direction and epoch */
    bool eof;     /* no key in this direction */
    bool pending; /* ingest: not settled yet; no visible key before `key` (see merge.c) */
    bool ahead;   /* ingest, backwards: a copy; the cursor already made the next step */
    int ahead_rc; /* that step's result */
    bool parked;  /* ingest: kept across a release (merge.c, "Parked"); a copy in parkbuf */
    bool tomb;
    const char *key; /* points into the constituent cursor's memory */
    size_t klen;
    const void *val;
    size_t vlen;
} lt_cand;

/*
 * A layered cursor: owner (its session's thread). entry is a counted reference (entry.refs and
 * entry.cursors, taken under catalog_lock); the entry's own fields follow lt_entry's rules.
 */
struct lt_cursor {
    lt_session *session;
    lt_entry *entry;
    bool overwrite, read_open; /* read_open: a read ran (lt_cursor.h) */

    /* The view: which constituents, and through which checkpoint. */
    bool view_set;
    uint64_t view_generation;
    lt_role view_role;
    bool use_ingest, view_live; /* view_live: stable read live, at the read timestamp */
    uint64_t cut;
    lt_ckpt *ckpt;      /* pinned, follower views */
    bool bare_pin;      /* a follower view without a checkpoint, counted in node.bare_views */
    lt_stable *stable;  /* referenced while the stable cursor is open */
    WT_CURSOR *ic, *sc; /* ingest and stable WiredTiger cursors (sc NULL: empty stable) */

    /* Position. */
    bool positioned;
    int dir, gap; /* dir: +1 after next, -1 after prev, else 0; gap: lt_cursor.h */
    uint64_t epoch;
    uint64_t vepoch; /* the node's view epoch at the pick (lt_internal.h) */
    bool pick_auto;  /* the pick ran outside a transaction (merge.c, "Parked") */
    int settle_left; /* > 0: keys an eager settle may still examine (merge.c) */
    lt_cand ci, cs;
    char *pkey; /* the position's key, owned */
    size_t pklen, pkcap;
    char *kbuf; /* storage of a key set by the caller */
    size_t kcap;
    const char *key; /* the operation's key: kbuf or pkey */
    size_t klen;
    bool key_set;
    int from;       /* which candidates produced the position: LT_FROM_* */
    bool key_in_wt; /* key and value point into a constituent cursor's memory */
    char *pvbuf;    /* the position's value once the key is owned */
    size_t pvcap;
    const void *val; /* current or set value */
    size_t vlen;
    char *vbuf; /* owned copy of a set value, or a modify result */
    size_t vcap;
    bool val_set;
    int arg_error; /* a bad argument to a setter */
    bool arg_toolong;

    char *wbuf; /* scratch for encoded ingest keys */
    size_t wcap;
    char *tbuf; /* scratch for tagged ingest values and modify results */
    size_t tcap;
    char *cbuf; /* an ingest candidate copied before a backward step (merge.c) */
    size_t ccap;
    char *parkbuf; /* a parked ingest candidate: key, NUL, value (merge.c) */
    size_t parkcap;
    lt_cursor *next; /* session.cursors */
};

/* The merge's candidates no longer describe the position: the next move seeks. */
static inline void
__lt_merge_invalidate(lt_cursor *c)
{
    c->ci.valid = c->cs.valid = false;
    c->dir = 0;
}

int __lt_cursor_hold_key(lt_cursor *c, const char *key, size_t klen);

/* cursor_pos.c */
int __lt_key_own(lt_cursor *c);
int __lt_cursor_pos_at_key(lt_cursor *c);
void __lt_cursor_unposition(lt_cursor *c);
void __lt_session_release_snapshot(lt_session *s);
/* park.c: keep the ingest candidate across that release (merge.c, "Parked"); false: invalidate
 * instead. */
bool __lt_merge_park(lt_cursor *c);
/* A follower view with no checkpoint reads the ingest alone: node.bare_views keeps GC off it. */
void __lt_cursor_bare_pin(lt_cursor *c, bool take);

#endif
