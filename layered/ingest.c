/*
 * ingest.c -- the ingest constituent's version rows.
 *
 * A row's key is the user key, a NUL, and the bitwise complement of the commit timestamp in 8
 * big-endian bytes: rows sort by user key (user keys hold no NUL), then newest version first.
 * Its value is one tag byte ('V' value, 'T' tombstone) and then the user value.
 */
#include "lt_internal.h"

int
__lt_buf_reserve(char **bufp, size_t *capp, size_t need)
{
    size_t cap;
    char *p;

    if (need <= *capp)
        return (0);
    cap = *capp == 0 ? 64 : *capp;
    while (cap < need)
        cap *= 2;
    if ((p = realloc(*bufp, cap)) == NULL)
        return (ENOMEM);
    *bufp = p;
    *capp = cap;
    return (0);
}

int
__lt_ing_encode_key(char **bufp, size_t *capp, const char *key, size_t klen, uint64_t ts,
  WT_ITEM *out)
{
    uint64_t inv;
    unsigned char *p;
    int i;

    if (__lt_buf_reserve(bufp, capp, klen + 9) != 0)
        return (ENOMEM);
    p = (unsigned char *)*bufp;
    memcpy(p, key, klen);
    p[klen] = '\0';
    inv = ~ts;
    for (i = 0; i < 8; i++)
        p[klen + 1 + (size_t)i] = (unsigned char)(inv >> (56 - 8 * i));
    memset(out, 0, sizeof(*out));
    out->data = p;
    out->size = klen + 9;
    return (0);
}

bool
__lt_ing_decode_key(const WT_ITEM *k, size_t *klenp, uint64_t *tsp)
{
    const unsigned char *p = k->data;
    uint64_t inv;
    size_t klen;
    int i;

    if (k->size < 9)
        return (false);
    klen = k->size - 9;
    if (p[klen] != '\0')
        return (false);
    inv = 0;
    for (i = 0; i < 8; i++)
        inv = (inv << 8) | p[klen + 1 + (size_t)i];
    *klenp = klen;
    *tsp = ~inv;
    return (true);
}
