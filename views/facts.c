/* A row's derived facts as data (see facts.h). */
#include "views/facts.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "client/store.h"
#include "common/timeutil.h"
#include "views/fmt.h"

const char *check_level_name(check_level level)
{
    static const char *const names[] = {"OK", "WARNING", "CRITICAL", "UNKNOWN"};
    return (unsigned)level < 4 ? names[level] : "UNKNOWN";
}

/* The facts' enum values as the JSON names them (docs/once.md). */
static const char *const health_names[] = {[HEALTH_UNKNOWN] = "unknown", [HEALTH_OK] = "ok",
                                           [HEALTH_WARNING] = "warning", [HEALTH_FAILING] = "failing"};
static const char *const quorum_names[] = {[QUORUM_UNKNOWN] = "unknown", [QUORUM_HEALTHY] = "healthy",
                                           [QUORUM_DEGRADED] = "degraded", [QUORUM_AT_RISK] = "at-risk",
                                           [QUORUM_LOST] = "lost"};
static const char *const pause_names[] = {[PAUSE_NONE] = "none", [PAUSE_INDEFINITE] = "indefinite",
                                          [PAUSE_UNTIL] = "until", [PAUSE_EXPIRED] = "expired",
                                          [PAUSE_INVALID] = "invalid"};
static const char *const support_names[] = {[SUPPORT_UNKNOWN] = "unknown", [SUPPORT_OK] = "ok",
                                            [SUPPORT_TOO_NEW] = "too-new", [SUPPORT_TOO_OLD] = "too-old",
                                            [SUPPORT_UNLISTED] = "unlisted"};
static const char *const skew_names[] = {[SKEW_UNKNOWN] = "unknown", [SKEW_SAME] = "same",
                                         [SKEW_BEHIND] = "behind", [SKEW_AHEAD] = "ahead"};
static const char *const check_names[] = {"ok", "warning", "critical", "unknown"};

#define NAME_OF(table, v) ((unsigned)(v) < sizeof table / sizeof table[0] ? table[v] : "unknown")

/* How far a skew is from its control plane, to pick a cluster's worst pool. */
static int skew_rank(const np_skew *k)
{
    if (k->kind == SKEW_AHEAD)
        return 1000 + k->minors;
    return k->kind == SKEW_BEHIND ? k->minors : 0;
}

/* ---- JSON helpers: strings from the cluster go in as data (cJSON escapes them) -------------------- */

static void add_str(cJSON *o, const char *key, const char *value)
{
    if (value)
        cJSON_AddStringToObject(o, key, value);
    else
        cJSON_AddNullToObject(o, key);
}

static void add_time(cJSON *o, const char *key, time_t t)
{
    char when[21];
    if (t == REC_TIME_UNKNOWN) {
        cJSON_AddNullToObject(o, key);
        return;
    }
    rfc3339_format(t, when);
    cJSON_AddStringToObject(o, key, when);
}

static void add_int_or_null(cJSON *o, const char *key, int64_t v, bool known)
{
    if (known)
        cJSON_AddNumberToObject(o, key, (double)v);
    else
        cJSON_AddNullToObject(o, key);
}

static cJSON *conditions_json(const rec_conditions *cs)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < cs->n; i++) {
        const rec_condition *c = &cs->items[i];
        cJSON *o = cJSON_CreateObject();
        add_str(o, "type", c->type);
        cJSON_AddStringToObject(o, "status", cond_status_name((cond_status)c->status));
        add_str(o, "reason", c->reason);
        add_str(o, "message", c->message);
        add_time(o, "lastTransitionTime", c->last_transition);
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}

static cJSON *pause_json(const pause_info *p, const char *raw)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "state", NAME_OF(pause_names, p->state));
    cJSON_AddBoolToObject(o, "paused", pause_is_paused(p));
    add_time(o, "until", p->state == PAUSE_UNTIL || p->state == PAUSE_EXPIRED ? p->until : REC_TIME_UNKNOWN);
    add_int_or_null(o, "secondsLeft", p->seconds_left, p->state == PAUSE_UNTIL);
    add_str(o, "pausedUntil", raw && *raw ? raw : NULL);
    return o;
}

static cJSON *quorum_json(const etcd_quorum *q, bool known)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "quorum", NAME_OF(quorum_names, known ? q->state : QUORUM_UNKNOWN));
    add_int_or_null(o, "healthy", q->healthy, known);
    add_int_or_null(o, "expected", q->expected, known);
    add_int_or_null(o, "majority", q->majority, known);
    add_int_or_null(o, "crashlooping", q->crashlooping, known);
    add_int_or_null(o, "restarts", q->restarts, known);
    add_str(o, "words", known ? q->words : NULL);
    return o;
}

static cJSON *skew_json(const np_skew *k)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "state", NAME_OF(skew_names, k->kind));
    cJSON_AddNumberToObject(o, "minors", k->minors);
    cJSON_AddBoolToObject(o, "unsupported", k->unsupported);
    cJSON_AddStringToObject(o, "words", k->words);
    return o;
}

/* ---- a HostedCluster --------------------------------------------------------------------------- */

static bool upgrade_gated(const upgrade_info *u)
{
    return u->blocked && strcmp(u->blocked_by, "ReconciliationActive") != 0; /* a pause is no gate */
}

static const char *upgrade_state(const hc_record *hc, const upgrade_info *u, const char **requested, char *req,
                                  size_t reqlen)
{
    *requested = fmt_requested_version(hc, req, reqlen);
    if (u->in_progress)
        return "progressing";
    if (upgrade_gated(u))
        return "blocked";
    if (*requested && u->current && version_order(*requested, u->current) != 0)
        return "pending";
    if (u->progress && strcmp(u->progress, "Completed") == 0)
        return "completed";
    return "unknown";
}

/* The first reason of the worst level stays; truncated at a UTF-8 boundary (JSON and YAML need it). */
static void set_check(cluster_facts *f, check_level level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set_check(cluster_facts *f, check_level level, const char *fmt, ...)
{
    if (level <= f->check && f->check_why[0])
        return;
    f->check = level;
    va_list ap;
    va_start(ap, fmt);
    view_vformat(f->check_why, sizeof f->check_why, fmt, ap);
    va_end(ap);
}

/* "Reason: message", whichever of the two the condition has. */
static const char *cond_words(const rec_condition *c, char *out, size_t outlen)
{
    const char *reason = c->reason && *c->reason ? c->reason : NULL;
    const char *msg = c->message && *c->message ? c->message : NULL;
    char both[VIEW_CELL_MAX * 2];
    snprintf(both, sizeof both, "%s%s%s", reason ? reason : "", reason && msg ? ": " : "", msg ? msg : "");
    view_copy_text(out, outlen, both); /* cut at a UTF-8 boundary */
    return out;
}

static void classify(cluster_facts *f)
{
    const rec_conditions *cs = &f->hc->u.hc.conditions;
    const rec_condition *c;
    char words[VIEW_CELL_MAX];
    f->check = CHECK_OK;
    f->check_why[0] = '\0';
    if ((c = rec_condition_find(cs, "Available")) && c->status == COND_FALSE)
        set_check(f, CHECK_CRITICAL, "Available=False: %s", cond_words(c, words, sizeof words));
    if ((c = rec_condition_find(cs, "Degraded")) && c->status == COND_TRUE)
        set_check(f, CHECK_CRITICAL, "Degraded: %s", cond_words(c, words, sizeof words));
    if ((c = rec_condition_find(cs, "EtcdAvailable")) && c->status == COND_FALSE)
        set_check(f, CHECK_CRITICAL, "EtcdAvailable=False: %s", cond_words(c, words, sizeof words));
    if (f->quorum_known && f->quorum.state == QUORUM_LOST)
        set_check(f, CHECK_CRITICAL, "etcd %s", f->quorum.words);
    if (f->check == CHECK_CRITICAL)
        return;
    if (upgrade_gated(&f->upgrade))
        set_check(f, CHECK_WARNING, "upgrade blocked by %s", f->upgrade.blocked_by[0] ? f->upgrade.blocked_by : "a gate");
    if (f->quorum_known && (f->quorum.state == QUORUM_AT_RISK || f->quorum.state == QUORUM_DEGRADED))
        set_check(f, CHECK_WARNING, "etcd %s", f->quorum.words);
    if (f->worst_skew.unsupported)
        set_check(f, CHECK_WARNING, "node pool %s: %s", f->worst_skew_pool, f->worst_skew.words);
    c = rec_condition_find(cs, "Available");
    if (!c || c->status != COND_TRUE)
        set_check(f, CHECK_WARNING, "Available unknown");
}

void facts_cluster(store *st, const record *r, time_t now, cluster_facts *f)
{
    memset(f, 0, sizeof *f);
    f->hc = r;
    const hc_record *hc = &r->u.hc;
    char cp_ns[CP_NAMESPACE_MAX];
    size_t n_pods = 0;
    record *const *pods = NULL;
    if (control_plane_namespace(r->meta.namespace, r->meta.name, cp_ns, sizeof cp_ns))
        pods = store_etcd_pods(st, cp_ns, &n_pods);
    f->quorum = derive_etcd_quorum(r, pods, n_pods);
    /* As the clusters pane: no quorum before the etcd pods were listed, none for external etcd. */
    f->quorum_known = store_resource_version(st, RES_ETCD_POD) != NULL &&
                      !(hc->etcd_management && strcmp(hc->etcd_management, "Unmanaged") == 0);
    f->health = derive_hc_health(r, f->quorum_known ? &f->quorum : NULL, now);
    f->pause = derive_paused(hc->paused_until, now);
    f->upgrade = derive_upgrade(r, now);
    f->supported = derive_supported(store_supported_versions(st), f->upgrade.current, f->supported_words,
                                    sizeof f->supported_words);
    f->worst_skew.kind = SKEW_UNKNOWN;
    size_t n_pools = 0;
    record *const *pools = store_nodepools_of(st, r->meta.namespace, r->meta.name, &n_pools);
    for (size_t i = 0; i < n_pools; i++) {
        np_skew k = derive_np_skew(pools[i], r);
        if (!f->worst_skew_pool || skew_rank(&k) > skew_rank(&f->worst_skew) ||
            (f->worst_skew.kind == SKEW_UNKNOWN && k.kind != SKEW_UNKNOWN)) {
            f->worst_skew = k;
            f->worst_skew_pool = pools[i]->meta.name;
        }
    }
    if (!f->worst_skew_pool)
        snprintf(f->worst_skew.words, sizeof f->worst_skew.words, "no node pools");
    classify(f);
}

static cJSON *upgrade_json(const cluster_facts *f)
{
    const upgrade_info *u = &f->upgrade;
    char req[64];
    const char *requested;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "state", upgrade_state(&f->hc->u.hc, u, &requested, req, sizeof req));
    add_str(o, "current", u->current);
    add_str(o, "desired", u->desired);
    add_str(o, "requested", requested);
    add_str(o, "target", u->in_progress ? u->target : NULL);
    add_int_or_null(o, "percent", u->percent, u->percent >= 0);
    add_int_or_null(o, "done", u->done, u->done >= 0);
    add_int_or_null(o, "total", u->total, u->total >= 0);
    add_time(o, "startedTime", u->in_progress ? u->started : REC_TIME_UNKNOWN);
    add_int_or_null(o, "elapsedSeconds", u->elapsed_seconds, u->elapsed_seconds >= 0);
    add_str(o, "blockedBy", u->blocked && u->blocked_by[0] ? u->blocked_by : NULL);
    add_str(o, "blockedMessage", u->blocked ? u->blocked_message : NULL);
    cJSON_AddStringToObject(o, "words", u->words);
    return o;
}

static cJSON *supported_json(const cluster_facts *f, const record *sv)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "state", NAME_OF(support_names, f->supported));
    cJSON_AddStringToObject(o, "words", f->supported_words);
    cJSON *versions = cJSON_AddArrayToObject(o, "versions");
    if (sv && sv->u.sv.versions_valid)
        for (size_t i = 0; i < sv->u.sv.versions.n; i++)
            cJSON_AddItemToArray(versions, cJSON_CreateString(sv->u.sv.versions.items[i]));
    return o;
}

static cJSON *health_json(const cluster_facts *f)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "level", NAME_OF(health_names, f->health.level));
    cJSON_AddStringToObject(o, "why", f->health.words);
    cJSON_AddStringToObject(o, "check", NAME_OF(check_names, f->check));
    add_str(o, "checkWhy", f->check_why[0] ? f->check_why : NULL);
    return o;
}

static cJSON *cluster_json_with(const cluster_facts *f, const record *sv)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "health", health_json(f));
    cJSON_AddItemToObject(o, "etcd", quorum_json(&f->quorum, f->quorum_known));
    cJSON_AddItemToObject(o, "pause", pause_json(&f->pause, f->hc->u.hc.paused_until));
    cJSON_AddItemToObject(o, "upgrade", upgrade_json(f));
    cJSON_AddItemToObject(o, "supported", supported_json(f, sv));
    cJSON *skew = skew_json(&f->worst_skew);
    add_str(skew, "pool", f->worst_skew_pool);
    cJSON_AddItemToObject(o, "skew", skew);
    cJSON_AddItemToObject(o, "conditions", conditions_json(&f->hc->u.hc.conditions));
    return o;
}

cJSON *facts_cluster_json(const cluster_facts *f)
{
    return cluster_json_with(f, NULL);
}

/* ---- node pools and etcd members: their own facts, and their cluster's health ----------------- */

static cJSON *cluster_ref_json(store *st, const record *hc, time_t now)
{
    cJSON *o = cJSON_CreateObject();
    if (!hc) {
        cJSON_AddNullToObject(o, "namespace");
        cJSON_AddNullToObject(o, "name");
        return o;
    }
    cluster_facts f;
    facts_cluster(st, hc, now, &f);
    add_str(o, "namespace", hc->meta.namespace);
    add_str(o, "name", hc->meta.name);
    cJSON_AddItemToObject(o, "health", health_json(&f));
    return o;
}

static cJSON *nodepool_json(store *st, const record *np, time_t now)
{
    const record *hc = store_hc_of_nodepool(st, np);
    cJSON *o = cJSON_CreateObject();
    np_skew k = derive_np_skew(np, hc);
    cJSON_AddItemToObject(o, "skew", skew_json(&k));
    pause_info p = derive_paused(np->u.np.paused_until, now);
    cJSON_AddItemToObject(o, "pause", pause_json(&p, np->u.np.paused_until));
    add_str(o, "version", np->u.np.version);
    cJSON_AddItemToObject(o, "cluster", cluster_ref_json(st, hc, now));
    cJSON_AddItemToObject(o, "conditions", conditions_json(&np->u.np.conditions));
    return o;
}

static cJSON *etcd_pod_json(store *st, const record *pod, time_t now)
{
    etcd_member m = derive_etcd_member(pod);
    cJSON *o = cJSON_CreateObject();
    cJSON *mj = cJSON_AddObjectToObject(o, "member");
    cJSON_AddBoolToObject(mj, "healthy", m.healthy);
    cJSON_AddBoolToObject(mj, "crashlooping", m.crashlooping);
    cJSON_AddNumberToObject(mj, "restarts", (double)m.restarts);
    add_time(mj, "lastRestart", m.last_restart);
    add_str(mj, "reason", m.reason);
    cJSON_AddStringToObject(mj, "words", m.words);
    const record *hc = store_hc_by_cp_namespace(st, pod->meta.namespace);
    size_t n = 0;
    record *const *pods = store_etcd_pods(st, pod->meta.namespace, &n);
    etcd_quorum q = derive_etcd_quorum(hc, pods, n);
    cJSON_AddItemToObject(o, "etcd", quorum_json(&q, true));
    cJSON_AddItemToObject(o, "cluster", cluster_ref_json(st, hc, now));
    return o;
}

cJSON *facts_json(store *st, const view_object *o, time_t now)
{
    if (!st || !o || o->kind >= RES_KIND_COUNT)
        return NULL;
    record *r = store_get(st, o->kind, o->ns, o->name);
    if (!r)
        return NULL;
    switch (o->kind) {
    case RES_HOSTEDCLUSTER: {
        cluster_facts f;
        facts_cluster(st, r, now, &f);
        return cluster_json_with(&f, store_supported_versions(st));
    }
    case RES_NODEPOOL:
        return nodepool_json(st, r, now);
    case RES_ETCD_POD:
        return etcd_pod_json(st, r, now);
    default:
        return cJSON_CreateObject();
    }
}
