/*
 * wtfault.c -- injected WiredTiger errors at the boundary between the library and WiredTiger.
 *
 * The specification (lt_cluster_config.wt_faults) is a comma-separated list of:
 *   seed=N          the seed of the random draws [1]
 *   rate=P          fail each call with probability P (0..1) [0]
 *   kinds=K[+K]...  the kinds a random failure draws from [enospc+eio+ebusy+rollback]
 *   sites=PREFIX    random failures only at sites whose name starts with PREFIX [all]
 *   SITE@N=KIND     fail the Nth call (from 1) at SITE with KIND
 * with KIND one of enospc, eio, ebusy, rollback, panic. A failed call does not run: WiredTiger
 * is left as before the call, but for a failed commit, which rolls the transaction back as
 * WiredTiger's does. A panic latches: every later call and public entry then fails with
 * WT_PANIC, as WiredTiger's connection does after one.
 */
#include "lt_wtfault.h"

#define LT_WTF_AT_MAX 32     /* SITE@N=KIND entries */
#define LT_WTF_SITES_MAX 256 /* distinct site names counted */

static const char *const wtf_names[LT_WTF_KINDS] = {"enospc", "eio", "ebusy", "rollback", "panic"};
static const int wtf_codes[LT_WTF_KINDS] = {ENOSPC, EIO, EBUSY, WT_ROLLBACK, WT_PANIC};

struct lt_wtf {
    /* Immutable once parsed. */
    uint64_t seed;
    uint64_t threshold; /* a draw below it fails: rate scaled to 2^32 */
    unsigned kinds;     /* bit per kind, random failures */
    char sites[LT_NAME_MAX];
    struct {
        char site[LT_NAME_MAX];
        uint64_t nth;
        int kind;
    } at[LT_WTF_AT_MAX];
    int nat;

    /* Occurrences by site name: lock (only taken while injection is configured). */
    pthread_mutex_t lock;
    struct {
        const char *name;
        uint64_t n;
    } seen[LT_WTF_SITES_MAX];
    int nseen;

    /* Atomic, relaxed: lone counters and flags. */
    _Atomic uint64_t calls, injected[LT_WTF_KINDS];
    _Atomic int paused;
    _Atomic int panicked;    /* release/acquire: panic_site is written before it */
    _Atomic int panic_claim; /* the first panic alone writes panic_site */
    char panic_site[LT_NAME_MAX];
};

static int
wtf_kind(const char *s, size_t len)
{
    int k;

    for (k = 0; k < LT_WTF_KINDS; k++)
        if (strlen(wtf_names[k]) == len && strncmp(s, wtf_names[k], len) == 0)
            return (k);
    return (-1);
}

/* Parse one item of the specification into w; false with err set on a bad one. */
static bool
wtf_item(lt_wtf *w, const char *it, size_t len, char *err, size_t errlen)
{
    const char *eq = memchr(it, '=', len), *at, *v, *p;
    char num[32], *end;
    size_t vlen, klen;
    double rate;
    int k;

    if (eq == NULL)
        goto bad;
    v = eq + 1;
    vlen = len - (size_t)(v - it);
    klen = (size_t)(eq - it);
    if (vlen == 0 || vlen >= sizeof(num) + LT_NAME_MAX)
        goto bad;
    (void)snprintf(num, sizeof(num), "%.*s", (int)(vlen < sizeof(num) ? vlen : 0), v);
    if (klen == 4 && strncmp(it, "seed", 4) == 0) {
        w->seed = strtoull(num, &end, 0);
        if (*end == '\0' && num[0] != '\0')
            return (true);
        (void)snprintf(err, errlen, "wt_faults: bad seed '%.*s'", (int)vlen, v);
        return (false);
    }
    if (klen == 4 && strncmp(it, "rate", 4) == 0) {
        rate = strtod(num, &end);
        if (*end != '\0' || num[0] == '\0' || !(rate >= 0.0 && rate <= 1.0)) {
            (void)snprintf(err, errlen, "wt_faults: rate '%.*s' is not in 0..1", (int)vlen, v);
            return (false);
        }
        w->threshold = (uint64_t)(rate * 4294967296.0);
        return (true);
    }
    if (klen == 5 && strncmp(it, "kinds", 5) == 0) {
        w->kinds = 0;
        for (p = v; p < v + vlen; p = at + 1) {
            if ((at = memchr(p, '+', (size_t)(v + vlen - p))) == NULL)
                at = v + vlen;
            if ((k = wtf_kind(p, (size_t)(at - p))) < 0) {
                (void)snprintf(err, errlen,
                  "wt_faults: unknown kind '%.*s' (enospc, eio, ebusy, rollback or panic)",
                  (int)(at - p), p);
                return (false);
            }
            w->kinds |= 1u << (unsigned)k;
        }
        return (true);
    }
    if (klen == 5 && strncmp(it, "sites", 5) == 0) {
        if (vlen >= sizeof(w->sites))
            goto bad;
        (void)snprintf(w->sites, sizeof(w->sites), "%.*s", (int)vlen, v);
        return (true);
    }
    /* SITE@N=KIND */
    if ((at = memchr(it, '@', klen)) == NULL || at == it || (size_t)(at - it) >= LT_NAME_MAX ||
      w->nat == LT_WTF_AT_MAX)
        goto bad;
    if ((k = wtf_kind(v, vlen)) < 0) {
        (void)snprintf(err, errlen,
          "wt_faults: unknown kind '%.*s' (enospc, eio, ebusy, rollback or panic)", (int)vlen, v);
        return (false);
    }
    (void)snprintf(num, sizeof(num), "%.*s", (int)(eq - at - 1 < 31 ? eq - at - 1 : 0), at + 1);
    w->at[w->nat].nth = strtoull(num, &end, 10);
    if (*end != '\0' || w->at[w->nat].nth == 0)
        goto bad;
    (void)snprintf(w->at[w->nat].site, LT_NAME_MAX, "%.*s", (int)(at - it), it);
    w->at[w->nat++].kind = k;
    return (true);

bad:
    (void)snprintf(err, errlen,
      "wt_faults: bad item '%.*s' (seed=N, rate=P, kinds=K+K, sites=PREFIX or SITE@N=KIND)",
      (int)len, it);
    return (false);
}

static bool
wtf_parse(lt_wtf *w, const char *spec, char *err, size_t errlen)
{
    const char *p, *end;

    w->seed = 1;
    w->kinds = 0xfu; /* all but panic */
    for (p = spec; *p != '\0'; p = *end == ',' ? end + 1 : end) {
        end = strchr(p, ',');
        if (end == NULL)
            end = p + strlen(p);
        if (end == p)
            continue;
        if (!wtf_item(w, p, (size_t)(end - p), err, errlen))
            return (false);
    }
    return (true);
}

/* A parsed copy of spec for a question about it (the caller frees it); NULL with the error in *rcp.
 */
static lt_wtf *
wtf_parse_new(const char *spec, int *rcp, char *err, size_t len)
{
    lt_wtf *w;
    char buf[LT_ERRMSG_MAX];

    if ((w = calloc(1, sizeof(*w))) == NULL) {
        *rcp = __lt_err(NULL, ENOMEM, "wt_faults: out of memory");
        return (NULL);
    }
    if (!wtf_parse(w, spec, buf, sizeof(buf))) {
        free(w);
        *rcp = __lt_err(NULL, EINVAL, "%s", buf);
        if (err != NULL && len > 0)
            (void)snprintf(err, len, "%s", buf);
        return (NULL);
    }
    *rcp = 0;
    return (w);
}

int
lt_wtfault_check(const char *spec, char *err, size_t len)
{
    int rc;

    __lt_api_enter();
    if (spec != NULL)
        free(wtf_parse_new(spec, &rc, err, len));
    else
        rc = 0;
    return (rc);
}

int
lt_wtfault_spec_has(const char *spec, int kind)
{
    lt_wtf *w;
    int i, has, rc;

    __lt_api_enter();
    if (spec == NULL || kind < 0 || kind >= LT_WTF_KINDS)
        return (0);
    if ((w = wtf_parse_new(spec, &rc, NULL, 0)) == NULL)
        return (-1);
    /* A random failure draws its kind only when the rate lets any call fail. */
    has = w->threshold > 0 && ((w->kinds >> (unsigned)kind) & 1u) != 0;
    for (i = 0; i < w->nat; i++)
        has |= w->at[i].kind == kind;
    free(w);
    return (has);
}

int
__lt_wtf_open(lt_cluster *cl, const char *spec)
{
    char buf[LT_ERRMSG_MAX];

    if (spec == NULL || spec[0] == '\0')
        return (0);
    if ((cl->wtf = calloc(1, sizeof(*cl->wtf))) == NULL)
        return (__lt_err(NULL, ENOMEM, "wt_faults: out of memory"));
    if (!wtf_parse(cl->wtf, spec, buf, sizeof(buf))) {
        __lt_wtf_close(cl);
        return (__lt_err(NULL, EINVAL, "%s", buf));
    }
    (void)pthread_mutex_init(&cl->wtf->lock, NULL);
    return (0);
}

void
__lt_wtf_close(lt_cluster *cl)
{
    if (cl->wtf == NULL)
        return;
    (void)pthread_mutex_destroy(&cl->wtf->lock);
    free(cl->wtf);
    cl->wtf = NULL;
}

/* A 64-bit mix (splitmix64's finaliser): the draw of (seed, site, occurrence). */
static uint64_t
wtf_mix(uint64_t x)
{
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return (x ^ (x >> 31));
}

static uint64_t
wtf_hash(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ull;

    for (; *s != '\0'; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
    return (h);
}

/* The occurrence (from 1) of this call at site. */
static uint64_t
wtf_count(lt_wtf *w, const char *site)
{
    uint64_t n = 0;
    int i;

    (void)pthread_mutex_lock(&w->lock);
    for (i = 0; i < w->nseen; i++)
        if (w->seen[i].name == site || strcmp(w->seen[i].name, site) == 0)
            break;
    if (i == w->nseen && w->nseen < LT_WTF_SITES_MAX)
        w->seen[w->nseen++].name = site; /* the sites are string literals */
    if (i < w->nseen)
        n = ++w->seen[i].n;
    (void)pthread_mutex_unlock(&w->lock);
    return (n);
}

static bool
wtf_inject(lt_wtf *w, const char *site, int kind)
{
    int zero = 0;

    if (kind == LT_WTF_PANIC && atomic_compare_exchange_strong(&w->panic_claim, &zero, 1)) {
        (void)snprintf(w->panic_site, sizeof(w->panic_site), "%s", site);
        atomic_store_explicit(&w->panicked, 1, memory_order_release);
    }
    atomic_fetch_add_explicit(&w->injected[kind], 1, memory_order_relaxed);
    __lt_wtf_note(wtf_codes[kind]);
    return (true);
}

bool
__lt_wtf_fire(lt_cluster *cl, const char *site)
{
    lt_wtf *w = cl->wtf;
    uint64_t n, draw;
    int i, k, nk;

    if (atomic_load_explicit(&w->panicked, memory_order_acquire)) {
        __lt_wtf_note(WT_PANIC); /* WiredTiger refuses everything after a panic */
        return (true);
    }
    atomic_fetch_add_explicit(&w->calls, 1, memory_order_relaxed);
    n = wtf_count(w, site);
    if (atomic_load_explicit(&w->paused, memory_order_relaxed))
        return (false);
    for (i = 0; i < w->nat; i++)
        if (w->at[i].nth == n && strcmp(w->at[i].site, site) == 0)
            return (wtf_inject(w, site, w->at[i].kind));
    if (w->threshold == 0 || strncmp(site, w->sites, strlen(w->sites)) != 0)
        return (false);
    draw = wtf_mix(w->seed ^ wtf_mix(wtf_hash(site) + n));
    if ((draw & 0xffffffffu) >= w->threshold)
        return (false);
    /* The kind: the (draw >> 32)'th of the configured kinds, modulo their number. */
    for (nk = 0, k = 0; k < LT_WTF_KINDS; k++)
        nk += (int)((w->kinds >> k) & 1u);
    if (nk == 0)
        return (false);
    nk = (int)((draw >> 32) % (uint64_t)nk);
    for (k = 0; k < LT_WTF_KINDS; k++)
        if (((w->kinds >> k) & 1u) != 0 && nk-- == 0)
            break;
    return (wtf_inject(w, site, k));
}

int
__lt_wtf_rc(void)
{
    return (lt_wtfault_last());
}

int
__lt_wtf_commit_fail(WT_SESSION *wt)
{
    (void)wt->rollback_transaction(wt, NULL);
    return (lt_wtfault_last());
}

int
__lt_wtf_refused(lt_cluster *cl, const char *what)
{
    if (!atomic_load_explicit(&cl->wtf->panicked, memory_order_acquire))
        return (0);
    __lt_wtf_note(WT_PANIC);
    return (__lt_err(cl, WT_PANIC,
      "%s: the cluster's WiredTiger panicked (injected at %s); it does no further work: close it",
      what, cl->wtf->panic_site));
}

void
__lt_wtf_stats(lt_cluster *cl, lt_wtfault_stats *stats)
{
    int k;

    memset(stats, 0, sizeof(*stats));
    if (cl->wtf == NULL)
        return;
    stats->calls = atomic_load_explicit(&cl->wtf->calls, memory_order_relaxed);
    for (k = 0; k < LT_WTF_KINDS; k++)
        stats->injected[k] = atomic_load_explicit(&cl->wtf->injected[k], memory_order_relaxed);
    stats->panicked = atomic_load_explicit(&cl->wtf->panicked, memory_order_relaxed);
}

void
__lt_wtf_pause(lt_cluster *cl, bool paused)
{
    if (cl->wtf != NULL)
        atomic_store_explicit(&cl->wtf->paused, paused, memory_order_relaxed);
}

const char *
lt_wtfault_kind_name(int kind)
{
    return (kind >= 0 && kind < LT_WTF_KINDS ? wtf_names[kind] : "unknown");
}
