/*
 * rng.c -- each thread's own random stream, and the seeded delay (see rng.h).
 */
#include "common/clock.h"
#include "common/rng.h"

/* Apart from the streams lr_rng_init(seed, id) makes for a thread's own choices. */
#define LR_RNG_THREAD_BASE UINT64_C(0x70657274)

static _Thread_local lr_rng lr_rng_own;
static _Thread_local bool lr_rng_own_set;

void
lr_rng_thread(uint64_t seed, int id)
{
    lr_rng_init(&lr_rng_own, seed, LR_RNG_THREAD_BASE + (uint64_t)id);
    lr_rng_own_set = true;
}

lr_rng *
lr_rng_mine(uint64_t seed)
{
    if (!lr_rng_own_set)
        lr_rng_thread(seed, LR_RNG_OTHER);
    return (&lr_rng_own);
}

bool
lr_rng_delay(lr_rng *r, int pct, uint64_t max_us)
{
    if (pct <= 0 || !lr_chance(r, pct))
        return (false);
    lr_sleep_us(1 + lr_below(r, max_us));
    return (true);
}
