/* Formatting shared by the views (see fmt.h). */
#include "views/fmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/derive.h"
#include "client/store.h"
#include "common/buf.h"
#include "common/timeutil.h"

static bool ascii_mode;

void view_set_ascii(bool on)
{
    ascii_mode = on;
}

const char *fmt_sym_str(fmt_sym s)
{
    static const char *const utf8[SYM_COUNT] = {"\u23f8", "\u2192", "\u2013", "\u2014"};
    static const char *const ascii[SYM_COUNT] = {"||", "->", "-", "--"};
    if ((unsigned)s >= SYM_COUNT)
        return "";
    return ascii_mode ? ascii[s] : utf8[s];
}

static bool progress_like(const char *type)
{
    return type && (strstr(type, "Progressing") || strncmp(type, "Updating", 8) == 0);
}

bool fmt_reconciliation_paused(const rec_conditions *conds)
{
    const rec_condition *ra = conds ? rec_condition_find(conds, "ReconciliationActive") : NULL;
    return ra && ra->status == COND_FALSE && ra->reason && strcmp(ra->reason, "ReconciliationPaused") == 0;
}

/* A condition that only reports a pause: ReconciliationActive=False/ReconciliationPaused, or
 * Progressing=False/Blocked because "ReconciliationActive condition is false". Paused, not failing. */
static bool fmt_condition_is_pause(const rec_condition *c)
{
    static const char gate[] = "ReconciliationActive condition is false";
    if (!c || !c->type || c->status != COND_FALSE || !c->reason)
        return false;
    if (strcmp(c->type, "ReconciliationActive") == 0)
        return strcmp(c->reason, "ReconciliationPaused") == 0;
    return strcmp(c->reason, "Blocked") == 0 && c->message && strncmp(c->message, gate, sizeof gate - 1) == 0;
}

view_role fmt_condition_role(res_kind kind, const rec_condition *c)
{
    if (!c)
        return ROLE_DIM;
    if (fmt_condition_is_pause(c))
        return ROLE_PAUSED;
    switch (derive_condition_polarity(kind, c->type)) {
    case POLARITY_GOOD_TRUE:
        return c->status == COND_TRUE ? ROLE_OK : c->status == COND_FALSE ? ROLE_BAD : ROLE_WARN;
    case POLARITY_GOOD_FALSE:
        if (c->status == COND_FALSE) {
            if (c->reason && strcmp(c->reason, "Blocked") == 0)
                return ROLE_BAD;
            return ROLE_OK;
        }
        if (c->status == COND_TRUE)
            return progress_like(c->type) ? ROLE_WARN : ROLE_BAD;
        return ROLE_WARN;
    case POLARITY_INFO:
    case POLARITY_UNKNOWN:
    default:
        return ROLE_DEFAULT;
    }
}

void fmt_condition_cell(rowtab *rt, size_t col, res_kind kind, const rec_conditions *conds, const char *type)
{
    const rec_condition *c = conds ? rec_condition_find(conds, type) : NULL;
    if (!c) {
        rowtab_set_text(rt, col, ROLE_DIM, "-");
        return;
    }
    view_role role = fmt_condition_role(kind, c);
    if (c->status == COND_FALSE && c->reason && strcmp(c->reason, "Blocked") == 0)
        rowtab_set_text(rt, col, role, role == ROLE_PAUSED ? "False (paused)" : "False (Blocked)");
    else
        rowtab_set_text(rt, col, role, cond_status_name(c->status));
}

static void fmt_age(char *out, size_t outlen, time_t t, time_t now)
{
    if (t == REC_TIME_UNKNOWN) {
        snprintf(out, outlen, "-");
        return;
    }
    int64_t secs = (int64_t)now - (int64_t)t;
    if (secs < 0)
        secs = 0;
    age_format(secs, out, outlen);
}

void fmt_age_cell(rowtab *rt, size_t col, time_t t, time_t now)
{
    char age[32];
    fmt_age(age, sizeof age, t, now);
    rowtab_set_text(rt, col, t == REC_TIME_UNKNOWN ? ROLE_DIM : ROLE_DEFAULT, age);
    if (t != REC_TIME_UNKNOWN) {
        int64_t secs = (int64_t)now - (int64_t)t;
        rowtab_set_num_key(rt, col, secs < 0 ? 0 : secs);
    }
}

void fmt_paused_cell(rowtab *rt, size_t col, const char *paused_until, const rec_conditions *conds, time_t now)
{
    pause_info p = derive_paused(paused_until, now);
    char left[32];
    if (!pause_is_paused(&p) && fmt_reconciliation_paused(conds)) {
        rowtab_set(rt, col, ROLE_PAUSED, "%s paused", fmt_sym_str(SYM_PAUSED));
        return;
    }
    switch (p.state) {
    case PAUSE_UNTIL:
        age_format(p.seconds_left, left, sizeof left);
        rowtab_set(rt, col, ROLE_PAUSED, "%s %s left", fmt_sym_str(SYM_PAUSED), left);
        rowtab_set_num_key(rt, col, p.seconds_left);
        break;
    case PAUSE_INDEFINITE:
        rowtab_set(rt, col, ROLE_PAUSED, "%s until removed", fmt_sym_str(SYM_PAUSED));
        rowtab_set_num_key(rt, col, INT64_MAX);
        break;
    case PAUSE_EXPIRED:
        rowtab_set_text(rt, col, ROLE_DIM, "expired");
        break;
    case PAUSE_INVALID:
        rowtab_set_text(rt, col, ROLE_WARN, "invalid value");
        break;
    case PAUSE_NONE:
    default:
        rowtab_set_text(rt, col, ROLE_DIM, "-");
        break;
    }
}

const rec_condition *fmt_worst_condition(res_kind kind, const rec_conditions *conds)
{
    const rec_condition *warn = NULL;
    for (size_t i = 0; conds && i < conds->n; i++) {
        view_role role = fmt_condition_role(kind, &conds->items[i]);
        if (role == ROLE_BAD)
            return &conds->items[i];
        if (role == ROLE_WARN && !warn)
            warn = &conds->items[i];
    }
    return warn;
}

void fmt_condition_words(res_kind kind, const rec_condition *c, char *out, size_t outlen)
{
    if (!out || outlen == 0)
        return;
    if (!c) {
        view_copy_text(out, outlen, "-");
        return;
    }
    const char *why = c->reason && *c->reason && strcmp(c->reason, "AsExpected") != 0 ? c->reason : c->message;
    bool plain = c->status == COND_TRUE && derive_condition_polarity(kind, c->type) == POLARITY_GOOD_FALSE;
    buf b = BUF_INIT;
    buf_printf(&b, "%s", c->type ? c->type : "?");
    if (!plain)
        buf_printf(&b, "=%s", cond_status_name(c->status));
    if (why && *why)
        buf_printf(&b, ": %s", why);
    view_copy_text(out, outlen, b.data); /* cut at a UTF-8 boundary */
    buf_free(&b);
}

void fmt_text_or_dash(rowtab *rt, size_t col, view_role role, const char *s)
{
    if (!s || !*s)
        rowtab_set_text(rt, col, ROLE_DIM, "-");
    else
        rowtab_set_text(rt, col, role, s);
}

bool fmt_scope_allows(const view_scope *scope, const char *ns, const char *cluster_name)
{
    if (!scope)
        return true;
    if (scope->ns && *scope->ns && (!ns || strcmp(scope->ns, ns) != 0))
        return false;
    if (scope->cluster_name && *scope->cluster_name) {
        if (!cluster_name || strcmp(scope->cluster_name, cluster_name) != 0)
            return false;
        if (scope->cluster_ns && *scope->cluster_ns && (!ns || strcmp(scope->cluster_ns, ns) != 0))
            return false;
    }
    return true;
}

void fmt_object(view_object *o, const record *r, const char *cluster_ns, const char *cluster_name)
{
    view_object_set(o, r->kind, r->meta.namespace, r->meta.name, cluster_ns, cluster_name);
}

void fmt_status_key(rowtab *rt, size_t col, view_role row_role)
{
    int64_t key;
    switch (row_role) {
    case ROLE_BAD: key = 0; break;
    case ROLE_WARN: key = 1; break;
    case ROLE_PAUSED: key = 2; break;
    case ROLE_OK: key = 4; break;
    default: key = 3; break;
    }
    rowtab_set_num_key(rt, col, key);
}

view_role fmt_health_role(health_level level)
{
    switch (level) {
    case HEALTH_OK: return ROLE_OK;
    case HEALTH_WARNING: return ROLE_WARN;
    case HEALTH_FAILING: return ROLE_BAD;
    case HEALTH_UNKNOWN:
    default: return ROLE_DEFAULT;
    }
}

bool fmt_target_kind(const view_scope *scope, res_kind *out)
{
    if (!scope || !scope->target)
        return false;
    res_kind k = scope->target->kind;
    if (k != RES_HOSTEDCLUSTER && k != RES_NODEPOOL && k != RES_ETCD_POD)
        return false;
    *out = k;
    return true;
}

/* The target's record in the store, or NULL (no target, unknown kind, not (yet) in the store). */
static record *fmt_target_record(struct store *st, const view_scope *scope)
{
    res_kind kind;
    if (!st || !fmt_target_kind(scope, &kind))
        return NULL;
    return store_get(st, kind, scope->target->ns, scope->target->name);
}

record *fmt_detail_target(rowtab *rt, struct store *st, const view_scope *scope)
{
    record *r = fmt_target_record(st, scope);
    res_kind kind;
    if (!r && st && fmt_target_kind(scope, &kind))
        rowtab_set_note(rt, "%s %s/%s was deleted", res_kind_name(scope->target->kind), scope->target->ns, scope->target->name);
    return r;
}

void fmt_time_cell(rowtab *rt, size_t col, time_t t)
{
    if (t == REC_TIME_UNKNOWN) {
        rowtab_set_text(rt, col, ROLE_DIM, "-");
        return;
    }
    struct tm tm;
    char out[32];
    if (!gmtime_r(&t, &tm) || strftime(out, sizeof out, "%Y-%m-%d %H:%M:%S", &tm) == 0) {
        rowtab_set_text(rt, col, ROLE_DIM, "-");
        return;
    }
    rowtab_set_text(rt, col, ROLE_DEFAULT, out);
    rowtab_set_num_key(rt, col, (int64_t)t);
}

record **fmt_copy_slice(record *const *slice, size_t n)
{
    if (n == 0 || !slice)
        return NULL;
    record **copy = xcalloc(n, sizeof *copy);
    memcpy(copy, slice, n * sizeof *copy);
    return copy;
}

/* The version in a release image's tag ("quay.io/r:4.19.3-multi" → "4.19.3"), when the tag parses
 * as a version; false for digests ("@sha256:...") and other tags. */
static bool fmt_image_version(const char *image, char *out, size_t outlen)
{
    if (!image || outlen == 0 || strchr(image, '@'))
        return false;
    const char *slash = strrchr(image, '/');
    const char *colon = strrchr(slash ? slash : image, ':');
    ocp_version v;
    if (!colon || !version_parse(colon + 1, &v))
        return false;
    /* Normalized: an arch suffix ("-multi", "-x86_64") is not part of the version. */
    int n = v.pre[0] ? snprintf(out, outlen, "%d.%d.%d-%s", v.major, v.minor, v.patch, v.pre)
                     : snprintf(out, outlen, "%d.%d.%d", v.major, v.minor, v.patch);
    return n > 0 && (size_t)n < outlen;
}

const char *fmt_requested_version(const hc_record *hc, char *out, size_t outlen)
{
    const char *image = hc->cp_release_image ? hc->cp_release_image : hc->release_image;
    return fmt_image_version(image, out, outlen) ? out : NULL;
}

hc_health fmt_cluster_health(store *st, const record *r, time_t now, etcd_quorum *q)
{
    char cp_ns[CP_NAMESPACE_MAX];
    size_t n_pods = 0;
    record *const *pods = NULL;
    if (control_plane_namespace(r->meta.namespace, r->meta.name, cp_ns, sizeof cp_ns))
        pods = store_etcd_pods(st, cp_ns, &n_pods);
    /* Until the etcd pods have been listed once, no quorum is known: saying "0/3 LOST" while they
     * load (or when they cannot be read) would be a false alarm. */
    bool etcd_listed = store_resource_version(st, RES_ETCD_POD) != NULL;
    *q = derive_etcd_quorum(r, pods, n_pods);
    if (!etcd_listed)
        q->state = QUORUM_UNKNOWN;
    return derive_hc_health(r, etcd_listed ? q : NULL, now);
}

