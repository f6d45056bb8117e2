/*
 * hold.c -- see hold.h.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "common/hold.h"

void
lr_holds_init(lr_holds *hs, pthread_mutex_t *mu, pthread_cond_t *cv)
{
    memset(hs, 0, sizeof(*hs));
    hs->mu = mu;
    hs->cv = cv;
}

/* __find -- the slot of site, or -1. */
static int
__find(const lr_holds *hs, const char *site)
{
    int i;

    for (i = 0; i < LR_HOLDS; i++)
        if (hs->slot[i].site[0] != '\0' && strcmp(hs->slot[i].site, site) == 0)
            return (i);
    return (-1);
}

int
lr_holds_arm(lr_holds *hs, const char *site, int node)
{
    lr_hold *h;
    int i;

    if (strlen(site) >= LR_HOLD_SITE_MAX)
        return (ENAMETOOLONG);
    h = (i = __find(hs, site)) < 0 ? NULL : &hs->slot[i];
    if (h == NULL)
        for (i = 0; i < LR_HOLDS && h == NULL; i++)
            if (hs->slot[i].site[0] == '\0') {
                h = &hs->slot[i];
                (void)snprintf(h->site, sizeof(h->site), "%s", site);
            }
    if (h == NULL)
        return (ENOSPC);
    h->node = node;
    h->armed = true;
    h->arm_gen++;
    (void)pthread_cond_broadcast(hs->cv);
    return (0);
}

lr_hold *
lr_holds_match(lr_holds *hs, const char *site, int node)
{
    lr_hold *h;
    int i;

    if (site == NULL || (i = __find(hs, site)) < 0 || !(h = &hs->slot[i])->armed)
        return (NULL);
    return (h->node == -1 || h->node == node ? h : NULL);
}

unsigned
lr_holds_take(lr_holds *hs, lr_hold *h)
{
    unsigned gen = h->arm_gen;

    h->armed = false;
    h->parked++;
    h->park_gen = gen;
    hs->parked++;
    (void)pthread_cond_broadcast(hs->cv);
    return (gen);
}

bool
lr_holds_gone(const lr_hold *h, unsigned gen)
{
    return (h->rel_gen >= gen);
}

void
lr_holds_park(lr_holds *hs, lr_hold *h)
{
    unsigned gen = lr_holds_take(hs, h);

    while (!lr_holds_gone(h, gen))
        (void)pthread_cond_wait(hs->cv, hs->mu);
}

static void
__release(lr_holds *hs, lr_hold *h)
{
    h->armed = false;
    h->rel_gen = h->arm_gen;
    hs->parked -= h->parked;
    h->parked = 0;
}

void
lr_holds_release(lr_holds *hs, const char *site)
{
    int i;

    if (site == NULL)
        for (i = 0; i < LR_HOLDS; i++)
            __release(hs, &hs->slot[i]);
    else if ((i = __find(hs, site)) >= 0)
        __release(hs, &hs->slot[i]);
    (void)pthread_cond_broadcast(hs->cv);
}

bool
lr_holds_held(const lr_holds *hs, const char *site)
{
    int i = __find(hs, site);
    const lr_hold *h = i < 0 ? NULL : &hs->slot[i];

    return (h != NULL && h->parked > 0 && h->park_gen == h->arm_gen);
}

bool
lr_holds_armed(const lr_holds *hs, const char *site)
{
    int i = __find(hs, site);
    const lr_hold *h = i < 0 ? NULL : &hs->slot[i];

    return (h != NULL && h->armed);
}
