/*
 * hash.h -- the harness's one string hash (64-bit FNV-1a): trace hashes, configuration keys and
 * lock keys of the controlled scheduler. Not for security; stable across runs and builds, so a
 * hash printed by one run can be compared with another's. Leaf module.
 */
#ifndef LR_HASH_H
#define LR_HASH_H

#include <stdint.h>

#define LR_HASH_SEED UINT64_C(0xcbf29ce484222325) /* FNV-1a offset basis */
#define LR_HASH_PRIME UINT64_C(0x100000001b3)     /* FNV-1a prime */

/* h with the bytes of s folded in (s NULL: h). */
static inline uint64_t
lr_hash_more(uint64_t h, const char *s)
{
    for (; s != NULL && *s != '\0'; s++)
        h = (h ^ (unsigned char)*s) * LR_HASH_PRIME;
    return (h);
}

/* The hash of the string s. */
static inline uint64_t
lr_hash_str(const char *s)
{
    return (lr_hash_more(LR_HASH_SEED, s));
}

#endif /* LR_HASH_H */
