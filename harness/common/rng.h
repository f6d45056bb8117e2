/*
 * rng.h -- the harness's seeded random streams, derived from (seed, stream number) so that a
 * run's choices repeat from its seed (xoshiro256** seeded by splitmix64); and each thread's own
 * stream (rng.c), from which the seeded delays at the library's yield points are drawn.
 * Leaf module: calls nothing else in the harness.
 */
#ifndef LR_RNG_H
#define LR_RNG_H

#include <stdbool.h>
#include <stdint.h>

typedef struct {
    uint64_t s[4];
} lr_rng;

static inline uint64_t
lr_splitmix(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return (z ^ (z >> 31));
}

static inline void
lr_rng_init(lr_rng *r, uint64_t seed, uint64_t stream)
{
    uint64_t x = seed ^ (stream * 0xd1342543de82ef95ull);
    int i;

    for (i = 0; i < 4; i++)
        r->s[i] = lr_splitmix(&x);
}

static inline uint64_t
lr_rotl(uint64_t x, int k)
{
    return ((x << k) | (x >> (64 - k)));
}

static inline uint64_t
lr_rand(lr_rng *r)
{
    uint64_t result = lr_rotl(r->s[1] * 5, 7) * 9, t = r->s[1] << 17;

    r->s[2] ^= r->s[0];
    r->s[3] ^= r->s[1];
    r->s[1] ^= r->s[2];
    r->s[0] ^= r->s[3];
    r->s[2] ^= t;
    r->s[3] = lr_rotl(r->s[3], 45);
    return (result);
}

/* Uniform in [0, n). */
static inline uint64_t
lr_below(lr_rng *r, uint64_t n)
{
    return (n == 0 ? 0 : lr_rand(r) % n);
}

/* True with probability pct percent. */
static inline int
lr_chance(lr_rng *r, int pct)
{
    return ((int)lr_below(r, 100) < pct);
}

/*
 * The calling thread's own stream (rng.c). lr_rng_thread seeds it from (seed, thread id), apart
 * from any stream lr_rng_init(seed, id) makes; lr_rng_mine returns it, seeded first as thread
 * LR_RNG_OTHER if the thread never was (a thread of the library's own, or of WiredTiger's).
 */
#define LR_RNG_OTHER 9999
void lr_rng_thread(uint64_t seed, int id);
lr_rng *lr_rng_mine(uint64_t seed);

/*
 * lr_rng_delay --
 *     With chance pct percent, sleep 1 to max_us microseconds, both drawn from r: the seeded
 *     delay that widens the windows between a check and its use. True if it slept.
 */
bool lr_rng_delay(lr_rng *r, int pct, uint64_t max_us);

#endif /* LR_RNG_H */
