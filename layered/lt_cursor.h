/*
 * lt_cursor.h -- a layered cursor's position states beyond lt_internal.h's, as upstream's cursor
 * keeps them:
 *   - gap: a next (gap +1) or prev (gap -1) that returned WT_PREPARE_CONFLICT leaves the cursor
 *     positioned just past pkey (the last key it returned) in that direction, with no key to get.
 *     A retry that way resumes after pkey; a step the other way returns pkey itself first.
 *   - held key: a failed search or search_near, a failed remove by key, and largest_key leave the
 *     cursor unpositioned with a key set (the application's, or the largest key): a retry uses
 *     it, and the next step starts from the first (or last) key.
 *   - read_open: whether the cursor has run a read (search, a step, a lookup of a write). Until
 *     then an overwrite update is blind: it holds its key but no position, so a walk that follows
 *     starts from the first key.
 * Owner: the cursor's session's thread, as every cursor field. Below: the position helpers of
 * cursor_pos.c, which merge.c, gate.c and the cursor API call.
 */
#ifndef LT_CURSOR_H
#define LT_CURSOR_H

int __lt_cursor_hold_key(lt_cursor *c, const char *key, size_t klen);

/* cursor_pos.c */
int __lt_key_own(lt_cursor *c);
int __lt_cursor_pos_at_key(lt_cursor *c);
void __lt_cursor_unposition(lt_cursor *c);
void __lt_session_release_snapshot(lt_session *s);
/* A follower view with no checkpoint reads the ingest alone: node.bare_views keeps GC off it. */
void __lt_cursor_bare_pin(lt_cursor *c, bool take);

#endif
