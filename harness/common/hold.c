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

static lr_hold *
__find(const lr_holds *hs, const char *site)
{
    int i;

    for (i = 0; i < LR_HOLDS; i++)
        if (hs->slot[i].site[0] != '\0' && strcmp(hs->slot[i].site, site) == 0)
            return ((lr_hold *)&hs->slot[i]);
    return (NULL);
}

int
lr_holds_arm(lr_holds *hs, const char *site, int node)
{
    lr_hold *h;
    int i;

    if (strlen(site) >= LR_HOLD_SITE_MAX)
        return (ENAMETOOLONG);
    if ((h = __find(hs, site)) == NULL)
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

    if (site == NULL || (h = __find(hs, site)) == NULL || !h->armed)
        return (NULL);
    return (h->node == -1 || h->node == node ? h : NULL);
}

void
lr_holds_park(lr_holds *hs, lr_hold *h)
{
    unsigned gen = h->arm_gen;

    h->armed = false;
    h->parked++;
    h->park_gen = gen;
    hs->parked++;
    (void)pthread_cond_broadcast(hs->cv);
    while (h->rel_gen < gen)
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
    lr_hold *h;
    int i;

    if (site == NULL)
        for (i = 0; i < LR_HOLDS; i++)
            __release(hs, &hs->slot[i]);
    else if ((h = __find(hs, site)) != NULL)
        __release(hs, h);
    (void)pthread_cond_broadcast(hs->cv);
}

bool
lr_holds_held(const lr_holds *hs, const char *site)
{
    const lr_hold *h = __find(hs, site);

    return (h != NULL && h->parked > 0 && h->park_gen == h->arm_gen);
}

bool
lr_holds_armed(const lr_holds *hs, const char *site)
{
    const lr_hold *h = __find(hs, site);

    return (h != NULL && h->armed);
}
