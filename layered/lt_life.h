/*
 * lt_life.h -- which stable life a catalogue entry may bind (catalog.c): the comparison of a
 * life's birth with the node's last drop of the name, and a replay's inferred drop. Used by
 * checkpoint.c (pickup), cursor.c (a view's binding), truncate.c and transition.c (adoption).
 */
#ifndef LT_LIFE_H
#define LT_LIFE_H

#include "lt_internal.h"

bool __lt_life_binds(lt_cluster *cl, const lt_entry *e, const lt_stable *st);

#endif /* LT_LIFE_H */
