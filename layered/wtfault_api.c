/*
 * wtfault_api.c -- the public calls on a cluster's injected WiredTiger errors (wtfault.c): apart
 * from it because they check the cluster through the registry (node.c), which calls wtfault.c.
 */
#include "lt_wtfault.h"

int
lt_wtfault_get_stats(lt_cluster *cl, lt_wtfault_stats *stats)
{
    __lt_api_enter();
    if (stats == NULL || !__lt_cluster_is_open(cl))
        return (__lt_err(NULL, EINVAL, "lt_wtfault_get_stats: not an open cluster"));
    __lt_wtf_stats(cl, stats);
    return (0);
}

int
lt_wtfault_pause(lt_cluster *cl, int paused)
{
    __lt_api_enter();
    if (!__lt_cluster_is_open(cl))
        return (__lt_err(NULL, EINVAL, "lt_wtfault_pause: not an open cluster"));
    __lt_wtf_pause(cl, paused != 0);
    return (0);
}
