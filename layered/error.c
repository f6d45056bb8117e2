/*
 * error.c -- per-thread error messages and names of codes, policies and events.
 *
 * Like a WiredTiger session's error, the calling thread's last error is cleared at the start of
 * every public call that returns an error code (__lt_api_enter) and set by the call's failure
 * (__lt_err), so lt_last_error() always describes the thread's latest call.
 */
#include "lt_wtfault.h"

static _Thread_local char lt_errmsg[LT_ERRMSG_MAX]; /* per thread: not shared */
static _Thread_local int lt_wtf_injected;           /* per thread: lt_wtfault_last */
static _Thread_local uint64_t lt_wtf_count;         /* per thread: lt_wtfault_thread_count */

/*
 * A WiredTiger panic is not one: WiredTiger reports the storage error that causes a panic first,
 * and a panic with no such cause is a failure of the system under test.
 *
 * The first environment failure of the process: env_rc is claimed by one compare-and-swap from
 * 0; its claimant alone writes env_msg, then publishes env_ready (release), after which readers
 * (acquire) may read env_msg. lt_env_reset is for a caller with no library call in flight.
 */
static _Atomic int env_rc;
static _Atomic int env_ready;
static char env_msg[LT_ERRMSG_MAX];

bool
lt_env_errno(int rc)
{
    switch (rc) {
    case ENOSPC:
    case EDQUOT:
    case EMFILE:
    case ENFILE:
    case ENOMEM:
    case EROFS:
    case EIO:
        return (true);
    default:
        return (false);
    }
}

/* __lt_env_note -- remember the process's first environment failure (rc, message). */
void
__lt_env_note(int rc, const char *msg)
{
    int zero = 0;

    if (!lt_env_errno(rc) || rc == lt_wtf_injected ||
      !atomic_compare_exchange_strong(&env_rc, &zero, rc))
        return;
    (void)snprintf(env_msg, sizeof(env_msg), "%s", msg);
    atomic_store_explicit(&env_ready, 1, memory_order_release);
}

int
lt_env_failure(char *buf, size_t len)
{
    int rc;

    if ((rc = atomic_load(&env_rc)) == 0)
        return (0);
    if (buf != NULL && len > 0) {
        if (atomic_load_explicit(&env_ready, memory_order_acquire))
            (void)snprintf(buf, len, "%s", env_msg);
        else
            (void)snprintf(buf, len, "%s", lt_strerror(rc));
    }
    return (rc);
}

void
lt_env_reset(void)
{
    atomic_store(&env_ready, 0);
    atomic_store(&env_rc, 0);
}

/*
 * __lt_err --
 *     Format the calling thread's error message and return rc, so that callers can write
 *     "return (__lt_err(cl, EINVAL, ...))". The message is also printed when verbose.
 */
int
__lt_err(lt_cluster *cl, int rc, const char *fmt, ...)
{
    va_list ap;
    int n;

    n = snprintf(lt_errmsg, sizeof(lt_errmsg), "%s: ", lt_strerror(rc));
    if (n < 0 || (size_t)n >= sizeof(lt_errmsg))
        n = 0;
    va_start(ap, fmt);
    (void)vsnprintf(lt_errmsg + n, sizeof(lt_errmsg) - (size_t)n, fmt, ap);
    va_end(ap);
    __lt_env_note(rc, lt_errmsg);
    if (cl != NULL && cl->cfg.verbose)
        fprintf(stderr, "liblayered: %s\n", lt_errmsg);
    return (rc);
}

void
__lt_api_enter(void)
{
    __lt_thread_enter();
    lt_errmsg[0] = '\0';
    lt_wtf_injected = 0;
}

void
__lt_wtf_note(int rc)
{
    lt_wtf_injected = rc;
    lt_wtf_count++;
}

uint64_t
lt_wtfault_thread_count(void)
{
    return (lt_wtf_count);
}

int
lt_wtfault_last(void)
{
    return (lt_wtf_injected);
}

const char *
lt_last_error(void)
{
    return (lt_errmsg);
}

/*
 * lt_strerror --
 *     The symbol of a code the API documents; any other errno as its symbol and the system's
 *     description; any other WiredTiger code as WiredTiger describes it. Text made here lives in
 *     a small per-thread ring, so several calls can feed one printf.
 */
const char *
lt_strerror(int rc)
{
    static _Thread_local char ring[4][96];
    static _Thread_local unsigned next;
    const char *name;
    char *buf, desc[80];

    switch (rc) {
    case 0:
        return ("success");
    case WT_ROLLBACK:
        return ("WT_ROLLBACK");
    case WT_DUPLICATE_KEY:
        return ("WT_DUPLICATE_KEY");
    case WT_NOTFOUND:
        return ("WT_NOTFOUND");
    case WT_PREPARE_CONFLICT:
        return ("WT_PREPARE_CONFLICT");
    case WT_PANIC:
        return ("WT_PANIC");
    case WT_CACHE_FULL:
        return ("WT_CACHE_FULL");
    case EBUSY:
        return ("EBUSY");
    case EEXIST:
        return ("EEXIST");
    case EINVAL:
        return ("EINVAL");
    case ENOENT:
        return ("ENOENT");
    case ENOTSUP:
        return ("ENOTSUP");
    case ENOMEM:
        return ("ENOMEM");
    case ETIMEDOUT:
        return ("ETIMEDOUT");
    case ESTALE:
        return ("ESTALE");
    case ENAMETOOLONG:
        return ("ENAMETOOLONG");
    default:
        break;
    }
    /* WiredTiger's own codes have static descriptions ("WT_RUN_RECOVERY: ..."); only those. */
    if (rc >= WT_TRY_SALVAGE && rc <= WT_ROLLBACK)
        return (wiredtiger_strerror(rc));
    buf = ring[next++ % 4];
    if (rc > 0 && (name = strerrorname_np(rc)) != NULL)
        (void)snprintf(buf, sizeof(ring[0]), "%s (%s)", name, strerror_r(rc, desc, sizeof(desc)));
    else if (rc > 0)
        (void)snprintf(buf, sizeof(ring[0]), "error %d (%s)", rc,
          strerror_r(rc, desc, sizeof(desc)));
    else
        (void)snprintf(buf, sizeof(ring[0]), "unknown error %d", rc);
    return (buf);
}

static const char *const policy_names[] = {"reject", "wait", "assert", "off", "upstream",
  "boundary"};

const char *
lt_policy_name(lt_policy policy)
{
    if ((unsigned)policy < sizeof(policy_names) / sizeof(policy_names[0]))
        return (policy_names[policy]);
    return ("unknown");
}

int
lt_policy_parse(const char *name, lt_policy *policyp)
{
    size_t i;

    __lt_api_enter();
    if (name == NULL || policyp == NULL)
        return (__lt_err(NULL, EINVAL, "lt_policy_parse: NULL argument"));
    for (i = 0; i < sizeof(policy_names) / sizeof(policy_names[0]); i++)
        if (strcmp(name, policy_names[i]) == 0) {
            *policyp = (lt_policy)i;
            return (0);
        }
    return (__lt_err(NULL, EINVAL,
      "unknown policy '%s' (reject, wait, assert, off, upstream or boundary)", name));
}

const char *
lt_event_name(lt_event_type type)
{
    switch (type) {
    case LT_EV_SCHEMA_BEGIN:
        return ("schema.begin");
    case LT_EV_ADMIT:
        return ("hook.admit");
    case LT_EV_REJECT:
        return ("hook.reject");
    case LT_EV_WAIT_BEGIN:
        return ("hook.wait_begin");
    case LT_EV_WAIT_END:
        return ("hook.wait_end");
    case LT_EV_SCHEMA_EFFECT:
        return ("schema.effect");
    case LT_EV_SCHEMA_END:
        return ("schema.end");
    case LT_EV_TRANSITION_BEGIN:
        return ("transition.begin");
    case LT_EV_TRANSITION_FLIP:
        return ("transition.flip");
    case LT_EV_TRANSITION_END:
        return ("transition.end");
    case LT_EV_DRAIN_TABLE:
        return ("drain.table");
    case LT_EV_CHECKPOINT:
        return ("checkpoint");
    case LT_EV_PICKUP:
        return ("pickup");
    case LT_EV_GC:
        return ("gc");
    case LT_EV_STABLE_WRITE:
        return ("stable.write");
    case LT_EV_BOUNDARY:
        return ("stepdown.boundary");
    }
    return ("unknown");
}

const char *
lt_op_name(lt_op op)
{
    static const char *const names[] = {"none", "create", "drop", "truncate", "step-up",
      "step-down", "checkpoint", "pickup", "gc", "commit", "drop-nowait", "drop-ckpt", "verify",
      "publish", "cursor-open", "info", "restart"};

    if ((unsigned)op < sizeof(names) / sizeof(names[0]))
        return (names[op]);
    return ("unknown");
}

const char *
lt_role_name(lt_role role)
{
    return (role == LT_LEADER ? "leader" : "follower");
}
