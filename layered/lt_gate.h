/*
 * lt_gate.h -- the data gate's check of a transaction against the node's state (gate.c), shared
 * by the operations' entry (gate.c) and the commit (session.c). Included after lt_internal.h.
 */
#ifndef LT_GATE_H
#define LT_GATE_H

/*
 * Whether the node's role changed since the transaction's first layered operation (inside a
 * read-side section, st the node's state): its generation moved, so it can only roll back. A
 * step-down and step-up round trip moves the generation twice and leaves the role as it was.
 */
bool __lt_txn_moved(lt_session *s, const lt_state *st);

#endif /* LT_GATE_H */
