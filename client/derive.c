/* Derived facts from records: the rules are in docs/store.md; each is unit-tested with a fixed `now`. */
#include "client/derive.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/timeutil.h"

static const char *s0(const char *s)
{
    return s ? s : "";
}

static bool streq(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* ---- control-plane namespace -------------------------------------------------------------------- */

bool control_plane_namespace(const char *ns, const char *name, char *out, size_t outlen)
{
    if (!ns || !name || !*ns || !*name || !out || outlen == 0)
        return false;
    int n = snprintf(out, outlen, "%s-%s", ns, name);
    if (n < 0 || (size_t)n >= outlen) {
        out[0] = '\0';
        return false;
    }
    for (char *p = out + strlen(ns) + 1; *p; p++)
        if (*p == '.')
            *p = '-';
    return true;
}

/* ---- conditions --------------------------------------------------------------------------------- */

typedef struct polarity_entry {
    const char *type;
    cond_polarity polarity;
} polarity_entry;

static const polarity_entry hc_polarity[] = {
    {"Available", POLARITY_GOOD_TRUE}, {"Progressing", POLARITY_GOOD_FALSE}, {"Degraded", POLARITY_GOOD_FALSE},
    {"ReconciliationActive", POLARITY_GOOD_TRUE}, {"ReconciliationSucceeded", POLARITY_GOOD_TRUE},
    {"ValidConfiguration", POLARITY_GOOD_TRUE}, {"SupportedHostedCluster", POLARITY_GOOD_TRUE},
    {"ValidReleaseImage", POLARITY_GOOD_TRUE}, {"ValidReleaseInfo", POLARITY_GOOD_TRUE},
    {"ValidHostedControlPlaneConfiguration", POLARITY_GOOD_TRUE}, {"IgnitionEndpointAvailable", POLARITY_GOOD_TRUE},
    {"InfrastructureReady", POLARITY_GOOD_TRUE}, {"KubeAPIServerAvailable", POLARITY_GOOD_TRUE},
    {"EtcdAvailable", POLARITY_GOOD_TRUE}, {"PlatformCredentialsFound", POLARITY_GOOD_TRUE},
    {"ClusterVersionSucceeding", POLARITY_GOOD_TRUE}, {"ClusterVersionAvailable", POLARITY_GOOD_TRUE},
    {"ClusterVersionProgressing", POLARITY_GOOD_FALSE}, {"ClusterVersionReleaseAccepted", POLARITY_GOOD_TRUE},
    {"ClusterVersionUpgradeable", POLARITY_GOOD_TRUE}, {"ClusterVersionRetrievedUpdates", POLARITY_GOOD_TRUE},
    {"ConfigOperatorReconciliationSucceeded", POLARITY_GOOD_TRUE},
    {"DataPlaneConnectionAvailable", POLARITY_GOOD_TRUE}, {"ControlPlaneConnectionAvailable", POLARITY_GOOD_TRUE},
    {"ExternalDNSReachable", POLARITY_GOOD_TRUE}, {"ValidIDPConfiguration", POLARITY_GOOD_TRUE},
    {"ValidProxyConfiguration", POLARITY_GOOD_TRUE}, {"UnmanagedEtcdAvailable", POLARITY_GOOD_TRUE},
    {"EtcdRecoveryActive", POLARITY_GOOD_FALSE}, {"EtcdBackupSucceeded", POLARITY_GOOD_TRUE},
    {"EtcdDataEncryptionUpToDate", POLARITY_GOOD_TRUE}, {"HostedClusterRestoredFromBackup", POLARITY_INFO},
    {"HostedClusterDestroyed", POLARITY_INFO}, {"CloudResourcesDestroyed", POLARITY_INFO},
    {"AutoNodeEnabled", POLARITY_INFO}, {"PublicEndpointExposed", POLARITY_INFO},
    {"ClusterSizeComputed", POLARITY_INFO}, {"ClusterSizeTransitionPending", POLARITY_GOOD_FALSE},
    {"ClusterSizeTransitionRequired", POLARITY_INFO}, {"ValidOIDCConfiguration", POLARITY_GOOD_TRUE},
    {"ValidAWSIdentityProvider", POLARITY_GOOD_TRUE}, {"AWSDefaultSecurityGroupCreated", POLARITY_GOOD_TRUE},
    {"AWSEndpointAvailable", POLARITY_GOOD_TRUE}, {"AWSEndpointServiceAvailable", POLARITY_GOOD_TRUE},
    {"ValidAWSKMSConfig", POLARITY_GOOD_TRUE}, {"ValidAzureKMSConfig", POLARITY_GOOD_TRUE},
    {"ValidGCPCredentials", POLARITY_GOOD_TRUE}, {"ValidGCPWorkloadIdentity", POLARITY_GOOD_TRUE},
    {"GCPEndpointAvailable", POLARITY_GOOD_TRUE}, {"GCPServiceAttachmentAvailable", POLARITY_GOOD_TRUE},
    {"ValidKubeVirtInfraNetworkMTU", POLARITY_GOOD_TRUE}, {"ValidKubeVirtInfraNetworkPolicyRBAC", POLARITY_GOOD_TRUE},
    {"KubeVirtNodesLiveMigratable", POLARITY_GOOD_TRUE}, {"IgnitionServerValidReleaseInfo", POLARITY_GOOD_TRUE},
};

static const polarity_entry np_polarity[] = {
    {"Ready", POLARITY_GOOD_TRUE}, {"AllMachinesReady", POLARITY_GOOD_TRUE}, {"AllNodesHealthy", POLARITY_GOOD_TRUE},
    {"ValidReleaseImage", POLARITY_GOOD_TRUE}, {"ValidGeneratedPayload", POLARITY_GOOD_TRUE},
    {"ValidMachineConfig", POLARITY_GOOD_TRUE}, {"ValidTuningConfig", POLARITY_GOOD_TRUE},
    {"ValidPlatformImage", POLARITY_GOOD_TRUE}, {"ValidPlatformConfig", POLARITY_GOOD_TRUE},
    {"ValidMachineTemplate", POLARITY_GOOD_TRUE}, {"ValidArchPlatform", POLARITY_GOOD_TRUE},
    {"SupportedVersionSkew", POLARITY_GOOD_TRUE}, {"ReachedIgnitionEndpoint", POLARITY_GOOD_TRUE},
    {"UpdateManagementEnabled", POLARITY_GOOD_TRUE}, {"ReconciliationActive", POLARITY_GOOD_TRUE},
    {"AWSSecurityGroupAvailable", POLARITY_GOOD_TRUE}, {"KubeVirtNodesLiveMigratable", POLARITY_GOOD_TRUE},
    {"UpdatingVersion", POLARITY_GOOD_FALSE}, {"UpdatingConfig", POLARITY_GOOD_FALSE},
    {"UpdatingPlatformMachineTemplate", POLARITY_GOOD_FALSE}, {"AutoscalingEnabled", POLARITY_INFO},
    {"AutorepairEnabled", POLARITY_INFO}, {"ClusterNetworkCIDRConflict", POLARITY_GOOD_FALSE},
    {"AWSResourceTagConflict", POLARITY_GOOD_FALSE},
};

cond_polarity derive_condition_polarity(res_kind kind, const char *type)
{
    const polarity_entry *tab;
    size_t n;
    if (!type)
        return POLARITY_UNKNOWN;
    if (kind == RES_HOSTEDCLUSTER) {
        tab = hc_polarity;
        n = sizeof hc_polarity / sizeof hc_polarity[0];
    } else if (kind == RES_NODEPOOL) {
        tab = np_polarity;
        n = sizeof np_polarity / sizeof np_polarity[0];
    } else {
        return streq(type, "Ready") || streq(type, "ContainersReady") ? POLARITY_GOOD_TRUE : POLARITY_UNKNOWN;
    }
    for (size_t i = 0; i < n; i++)
        if (strcmp(tab[i].type, type) == 0)
            return tab[i].polarity;
    return POLARITY_UNKNOWN;
}

bool derive_condition_bad(res_kind kind, const rec_condition *c)
{
    if (!c)
        return false;
    switch (derive_condition_polarity(kind, c->type)) {
    case POLARITY_GOOD_TRUE: return c->status == COND_FALSE;
    case POLARITY_GOOD_FALSE: return c->status == COND_TRUE;
    default: return false;
    }
}

/* ---- pausedUntil -------------------------------------------------------------------------------- */

/* Go's strconv.ParseBool: 1 t T TRUE true True / 0 f F FALSE false False. */
static bool go_parse_bool(const char *s, bool *out)
{
    static const char *const yes[] = {"1", "t", "T", "TRUE", "true", "True"};
    static const char *const no[] = {"0", "f", "F", "FALSE", "false", "False"};
    for (size_t i = 0; i < 6; i++) {
        if (strcmp(s, yes[i]) == 0) {
            *out = true;
            return true;
        }
        if (strcmp(s, no[i]) == 0) {
            *out = false;
            return true;
        }
    }
    return false;
}

static void local_time_words(time_t t, char *out, size_t outlen)
{
    struct tm tm;
    if (!localtime_r(&t, &tm) || strftime(out, outlen, "%Y-%m-%d %H:%M %Z", &tm) == 0)
        snprintf(out, outlen, "?");
}

pause_info derive_paused(const char *paused_until, time_t now)
{
    pause_info p;
    memset(&p, 0, sizeof p);
    p.state = PAUSE_NONE;
    if (!paused_until || !*paused_until) {
        snprintf(p.words, sizeof p.words, "not paused");
        return p;
    }
    bool b;
    if (go_parse_bool(paused_until, &b)) {
        p.state = b ? PAUSE_INDEFINITE : PAUSE_NONE;
        snprintf(p.words, sizeof p.words, "%s", b ? "paused until removed" : "not paused");
        return p;
    }
    time_t until;
    if (!rfc3339_parse(paused_until, &until)) {
        p.state = PAUSE_INVALID;
        snprintf(p.words, sizeof p.words, "invalid pausedUntil \"%.32s\": not paused", paused_until);
        return p;
    }
    char when[48];
    local_time_words(until, when, sizeof when);
    p.until = until;
    if (until <= now) {
        p.state = PAUSE_EXPIRED;
        snprintf(p.words, sizeof p.words, "pause ended %s", when);
        return p;
    }
    p.state = PAUSE_UNTIL;
    p.seconds_left = (int64_t)(until - now);
    char left[24];
    age_format(p.seconds_left, left, sizeof left);
    snprintf(p.words, sizeof p.words, "paused until %s (%s left)", when, left);
    return p;
}

bool pause_is_paused(const pause_info *p)
{
    return p && (p->state == PAUSE_INDEFINITE || p->state == PAUSE_UNTIL);
}

/* ---- etcd --------------------------------------------------------------------------------------- */

static bool crash_reason(const char *reason)
{
    return streq(reason, "CrashLoopBackOff") || streq(reason, "Error");
}

/* Folds one container's restarts and crash state into the member. */
static void fold_container(etcd_member *m, const rec_container_status *c)
{
    m->restarts += c->restart_count;
    if (c->last_state.kind == CTR_TERMINATED && c->last_state.finished_at > m->last_restart)
        m->last_restart = c->last_state.finished_at;
    if (c->state.kind == CTR_WAITING && (crash_reason(c->state.reason) || c->restart_count > 0)) {
        if (!m->crashlooping)
            m->reason = c->state.reason ? c->state.reason : "CrashLoopBackOff";
        m->crashlooping = true;
    } else if (!m->reason && c->state.kind == CTR_WAITING && c->state.reason) {
        m->reason = c->state.reason;
    } else if (!m->reason && c->state.kind == CTR_TERMINATED && c->state.reason) {
        m->reason = c->state.reason;
    }
}

etcd_member derive_etcd_member(const record *pod)
{
    etcd_member m;
    memset(&m, 0, sizeof m);
    if (!pod || pod->kind != RES_ETCD_POD) {
        snprintf(m.words, sizeof m.words, "unknown");
        return m;
    }
    const pod_record *p = &pod->u.pod;
    for (size_t i = 0; i < p->n_init_containers; i++)
        fold_container(&m, &p->init_containers[i]);
    for (size_t i = 0; i < p->n_containers; i++)
        fold_container(&m, &p->containers[i]);
    bool ready = p->ready == COND_TRUE;
    if (p->ready == COND_UNKNOWN)
        for (size_t i = 0; i < p->n_containers; i++)
            if (streq(p->containers[i].name, "etcd"))
                ready = p->containers[i].ready;
    bool deleting = pod->meta.deleted != REC_TIME_UNKNOWN;
    m.healthy = streq(p->phase, "Running") && !deleting && ready && !m.crashlooping;
    if (deleting)
        snprintf(m.words, sizeof m.words, "Terminating");
    else if (m.crashlooping)
        snprintf(m.words, sizeof m.words, "%.48s (%" PRId64 " restart%s)", m.reason, m.restarts,
                 m.restarts == 1 ? "" : "s");
    else if (m.healthy)
        snprintf(m.words, sizeof m.words, "Running");
    else if (streq(p->phase, "Running"))
        snprintf(m.words, sizeof m.words, "Running, not ready%s%.48s", m.reason ? ": " : "", s0(m.reason));
    else if (m.reason)
        snprintf(m.words, sizeof m.words, "%.32s: %.48s", s0(p->phase), m.reason);
    else
        snprintf(m.words, sizeof m.words, "%.48s", p->phase ? p->phase : "unknown");
    return m;
}

etcd_quorum derive_etcd_quorum(const record *hc, record *const *pods, size_t n_pods)
{
    etcd_quorum q;
    memset(&q, 0, sizeof q);
    const char *policy = hc && hc->kind == RES_HOSTEDCLUSTER ? hc->u.hc.controller_availability : NULL;
    if (hc && hc->kind == RES_HOSTEDCLUSTER && streq(hc->u.hc.etcd_management, "Unmanaged")) {
        snprintf(q.words, sizeof q.words, "unmanaged etcd");
        return q;
    }
    for (size_t i = 0; i < n_pods; i++) {
        if (!pods[i] || pods[i]->kind != RES_ETCD_POD)
            continue;
        q.seen++;
        etcd_member m = derive_etcd_member(pods[i]);
        if (m.healthy)
            q.healthy++;
        if (m.crashlooping) {
            if (!q.crashloop_member)
                q.crashloop_member = pods[i]->meta.name;
            q.crashlooping++;
        }
        q.restarts += m.restarts;
        if (m.last_restart > q.last_restart)
            q.last_restart = m.last_restart;
    }
    if (streq(policy, "HighlyAvailable"))
        q.expected = 3;
    else if (streq(policy, "SingleReplica"))
        q.expected = 1;
    else
        q.expected = q.seen;
    if (q.expected == 0) {
        q.state = QUORUM_UNKNOWN;
        snprintf(q.words, sizeof q.words, "no etcd members seen");
        return q;
    }
    if (q.healthy > q.expected)
        q.healthy = q.expected; /* a stray extra pod cannot add votes */
    q.majority = q.expected / 2 + 1;
    if (q.healthy >= q.expected) {
        q.state = QUORUM_HEALTHY;
        /* a single member is healthy and still one failure from losing everything */
        snprintf(q.words, sizeof q.words, "%d/%d healthy%s", q.healthy, q.expected,
                 q.expected == 1 ? ": a single member, no fault tolerance" : "");
    } else if (q.healthy >= q.majority) {
        q.state = q.healthy == q.majority ? QUORUM_AT_RISK : QUORUM_DEGRADED;
        snprintf(q.words, sizeof q.words, "%d/%d healthy: quorum held%s", q.healthy, q.expected,
                 q.state == QUORUM_AT_RISK ? ", one failure from loss" : "");
    } else {
        q.state = QUORUM_LOST;
        snprintf(q.words, sizeof q.words, "%d/%d healthy: QUORUM LOST", q.healthy, q.expected);
    }
    return q;
}

/* ---- upgrades ----------------------------------------------------------------------------------- */

static const char *newest_completed(const rec_version_status *vs)
{
    for (size_t i = 0; i < vs->n_history; i++)
        if (streq(vs->history[i].state, "Completed"))
            return vs->history[i].version;
    return NULL;
}

/* Reads "N of M done" and "(P% complete)" out of a CVO progress message. */
static void parse_progress(const char *msg, upgrade_info *u)
{
    if (!msg)
        return;
    for (const char *p = msg; *p; p++) {
        if (!isdigit((unsigned char)*p) || (p > msg && isdigit((unsigned char)p[-1])))
            continue;
        char *end;
        long long done = strtoll(p, &end, 10);
        if (strncmp(end, " of ", 4) != 0 || !isdigit((unsigned char)end[4]))
            continue;
        long long total = strtoll(end + 4, &end, 10);
        if (strncmp(end, " done", 5) != 0 || total <= 0 || done < 0 || done > total || total > INT64_MAX / 100)
            continue;
        u->done = done;
        u->total = total;
        u->percent = (int)(done * 100 / total);
        break;
    }
    const char *pc = strstr(msg, "% complete");
    if (pc) {
        const char *start = pc;
        while (start > msg && isdigit((unsigned char)start[-1]))
            start--;
        if (start < pc && pc - start <= 3) {
            int v = atoi(start);
            if (v >= 0 && v <= 100)
                u->percent = v;
        }
    }
}

upgrade_info derive_upgrade(const record *hc, time_t now)
{
    upgrade_info u;
    memset(&u, 0, sizeof u);
    u.percent = -1;
    u.done = u.total = -1;
    u.elapsed_seconds = -1;
    if (!hc || hc->kind != RES_HOSTEDCLUSTER) {
        snprintf(u.words, sizeof u.words, "unknown");
        return u;
    }
    const hc_record *h = &hc->u.hc;
    u.current = newest_completed(&h->version);
    u.cp_current = newest_completed(&h->cp_version);
    u.desired = h->version.desired.version;
    if (h->version.n_history > 0) {
        const rec_history *top = &h->version.history[0];
        u.progress = top->state;
        if (streq(top->state, "Partial")) {
            u.in_progress = true;
            u.target = top->version ? top->version : u.desired;
            u.started = top->started;
            if (top->started != REC_TIME_UNKNOWN && now >= top->started)
                u.elapsed_seconds = (int64_t)(now - top->started);
            const rec_condition *cvp = rec_condition_find(&h->conditions, "ClusterVersionProgressing");
            if (cvp && cvp->status != COND_FALSE)
                parse_progress(cvp->message, &u);
        }
    }
    const rec_condition *prog = rec_condition_find(&h->conditions, "Progressing");
    if (prog && prog->status == COND_FALSE && streq(prog->reason, "Blocked")) {
        u.blocked = true;
        u.blocked_message = prog->message;
        /* "<Type> condition is false: ..." names the gate. */
        const char *m = s0(prog->message);
        size_t len = 0;
        while (isalnum((unsigned char)m[len]) && len + 1 < sizeof u.blocked_by)
            len++;
        if (len > 0 && strncmp(m + len, " condition is false", 19) == 0) {
            memcpy(u.blocked_by, m, len);
            u.blocked_by[len] = '\0';
        }
    }
    const char *from = u.current ? u.current : "?";
    if (u.in_progress) {
        const char *verb = u.current ? "" : "installing ";
        char to[80];
        if (u.current)
            snprintf(to, sizeof to, "%.36s -> %.36s", from, s0(u.target));
        else
            snprintf(to, sizeof to, "%s%.36s", verb, s0(u.target));
        if (u.percent >= 0 && u.total > 0)
            snprintf(u.words, sizeof u.words, "%s %d%% (%" PRId64 " of %" PRId64 ")", to, u.percent, u.done, u.total);
        else if (u.percent >= 0)
            snprintf(u.words, sizeof u.words, "%s %d%%", to, u.percent);
        else if (u.elapsed_seconds >= 0) {
            char age[24];
            age_format(u.elapsed_seconds, age, sizeof age);
            snprintf(u.words, sizeof u.words, "%s, running %s", to, age);
        } else
            snprintf(u.words, sizeof u.words, "%s", to);
    } else if (u.blocked) {
        snprintf(u.words, sizeof u.words, "blocked by %.60s", u.blocked_by[0] ? u.blocked_by : "a failed gate");
    } else {
        snprintf(u.words, sizeof u.words, "%.60s", u.current ? u.current : "unknown");
    }
    return u;
}

/* ---- overall health ----------------------------------------------------------------------------- */

const char *health_level_name(health_level level)
{
    switch (level) {
    case HEALTH_OK: return "OK";
    case HEALTH_WARNING: return "WARNING";
    case HEALTH_FAILING: return "FAILING";
    default: return "UNKNOWN";
    }
}

static hc_health health_of(health_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static hc_health health_of(health_level level, const char *fmt, ...)
{
    hc_health h;
    h.level = level;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(h.words, sizeof h.words, fmt, ap);
    va_end(ap);
    return h;
}

/* The words a failed condition gives: its reason, else its message. */
static const char *cond_why(const rec_condition *c)
{
    if (c->reason && *c->reason)
        return c->reason;
    return c->message && *c->message ? c->message : "no reason given";
}

/* The first condition in its unhealthy state that the rules above do not already judge. Upgrades in
 * flight (Progressing, ClusterVersionProgressing) are normal, an unacknowledged minor upgrade gate
 * (ClusterVersionUpgradeable) only matters when an upgrade is blocked (a rule above), and a cluster
 * without an update service never retrieves updates: none of those colour a row. */
static const rec_condition *other_bad_condition(const rec_conditions *cs)
{
    static const char *const judged_elsewhere[] = {"Progressing", "ClusterVersionProgressing",
                                                   "ClusterVersionUpgradeable", "ClusterVersionRetrievedUpdates"};
    for (size_t i = 0; i < cs->n; i++) {
        const rec_condition *c = &cs->items[i];
        if (!derive_condition_bad(RES_HOSTEDCLUSTER, c))
            continue;
        bool skip = false;
        for (size_t j = 0; j < sizeof judged_elsewhere / sizeof judged_elsewhere[0]; j++)
            skip = skip || streq(c->type, judged_elsewhere[j]);
        if (!skip)
            return c;
    }
    return NULL;
}

hc_health derive_hc_health(const record *hc, const etcd_quorum *quorum, time_t now)
{
    if (!hc || hc->kind != RES_HOSTEDCLUSTER)
        return health_of(HEALTH_UNKNOWN, "unknown");
    const hc_record *h = &hc->u.hc;
    const rec_conditions *cs = &h->conditions;
    if (hc->meta.deleted != REC_TIME_UNKNOWN)
        return health_of(HEALTH_WARNING, "being deleted");
    const rec_condition *c = rec_condition_find(cs, "Available");
    if (c && c->status == COND_FALSE)
        return health_of(HEALTH_FAILING, "Available=False: %.100s", cond_why(c));
    if ((c = rec_condition_find(cs, "Degraded")) && c->status == COND_TRUE)
        return health_of(HEALTH_FAILING, "Degraded: %.100s", cond_why(c));
    if (quorum && quorum->state == QUORUM_LOST)
        return health_of(HEALTH_FAILING, "etcd %.100s", quorum->words);
    if ((c = rec_condition_find(cs, "EtcdAvailable")) && c->status == COND_FALSE)
        return health_of(HEALTH_FAILING, "EtcdAvailable=False: %.100s", cond_why(c));
    pause_info p = derive_paused(h->paused_until, now);
    if (p.state == PAUSE_INDEFINITE)
        return health_of(HEALTH_WARNING, "paused until removed");
    if (p.state == PAUSE_UNTIL) {
        char left[24];
        age_format(p.seconds_left, left, sizeof left);
        return health_of(HEALTH_WARNING, "paused (%s left)", left);
    }
    upgrade_info u = derive_upgrade(hc, now);
    if (u.blocked)
        return health_of(HEALTH_WARNING, "upgrade blocked by %.60s", u.blocked_by[0] ? u.blocked_by : "a gate");
    if ((c = rec_condition_find(cs, "ValidReleaseImage")) && c->status == COND_FALSE)
        return health_of(HEALTH_WARNING, "ValidReleaseImage=False: %.100s", cond_why(c));
    if ((c = rec_condition_find(cs, "ReconciliationSucceeded")) && c->status == COND_FALSE)
        return health_of(HEALTH_WARNING, "ReconciliationSucceeded=False: %.90s", cond_why(c));
    if (quorum && (quorum->state == QUORUM_AT_RISK || quorum->state == QUORUM_DEGRADED))
        return health_of(HEALTH_WARNING, "etcd %.100s", quorum->words);
    if (quorum && quorum->crashloop_member)
        return health_of(HEALTH_WARNING, "etcd member %.80s crash-looping", quorum->crashloop_member);
    if (p.state == PAUSE_INVALID)
        return health_of(HEALTH_WARNING, "invalid pausedUntil: not paused");
    if ((c = other_bad_condition(cs)))
        return health_of(HEALTH_WARNING, "%.60s=%s: %.60s", c->type, cond_status_name(c->status), cond_why(c));
    c = rec_condition_find(cs, "Available");
    if (!c || c->status != COND_TRUE)
        return health_of(HEALTH_UNKNOWN, "Available unknown");
    if (u.in_progress)
        return health_of(HEALTH_OK, "upgrading: %.100s", u.words);
    return health_of(HEALTH_OK, "healthy");
}

/* ---- node pool skew ----------------------------------------------------------------------------- */

np_skew derive_np_skew(const record *np, const record *hc)
{
    np_skew k;
    memset(&k, 0, sizeof k);
    k.kind = SKEW_UNKNOWN;
    ocp_version pv, cv;
    if (!np || np->kind != RES_NODEPOOL || !version_parse(np->u.np.version, &pv)) {
        snprintf(k.words, sizeof k.words, "pool version unknown");
        return k;
    }
    if (!hc || hc->kind != RES_HOSTEDCLUSTER || !version_parse(newest_completed(&hc->u.hc.version), &cv)) {
        snprintf(k.words, sizeof k.words, "control plane version unknown");
        return k;
    }
    int pi = version_minor_index(&pv), ci = version_minor_index(&cv);
    if (pi < 0 || ci < 0) {
        if (pv.major != cv.major) {
            snprintf(k.words, sizeof k.words, "unknown (major %d vs %d)", pv.major, cv.major);
            return k;
        }
        pi = pv.minor;
        ci = cv.minor;
    }
    int diff = ci - pi;
    if (diff == 0) {
        k.kind = SKEW_SAME;
        snprintf(k.words, sizeof k.words, "same");
    } else if (diff > 0) {
        k.kind = SKEW_BEHIND;
        k.minors = diff;
        k.unsupported = diff > 3;
        snprintf(k.words, sizeof k.words, "%d minor%s behind%s", diff, diff == 1 ? "" : "s",
                 k.unsupported ? ": unsupported" : "");
    } else {
        k.kind = SKEW_AHEAD;
        k.minors = -diff;
        k.unsupported = true;
        snprintf(k.words, sizeof k.words, "%d minor%s ahead: not allowed", -diff, diff == -1 ? "" : "s");
    }
    return k;
}

/* ---- supported versions ------------------------------------------------------------------------- */

support_state derive_supported(const record *sv, const char *version, char *words, size_t wordslen)
{
    char scratch[8];
    if (!words || wordslen == 0) {
        words = scratch;
        wordslen = sizeof scratch;
    }
    ocp_version v;
    if (!sv || sv->kind != RES_SUPPORTED_VERSIONS || !sv->u.sv.versions_valid || sv->u.sv.versions.n == 0) {
        snprintf(words, wordslen, "supported versions unknown");
        return SUPPORT_UNKNOWN;
    }
    if (!version_parse(version, &v)) {
        snprintf(words, wordslen, "version unknown");
        return SUPPORT_UNKNOWN;
    }
    bool any = false;
    ocp_version newest = {0}, oldest = {0};
    for (size_t i = 0; i < sv->u.sv.versions.n; i++) {
        ocp_version e;
        if (!version_parse(sv->u.sv.versions.items[i], &e))
            continue;
        if (e.major == v.major && e.minor == v.minor) {
            snprintf(words, wordslen, "%d.%d supported", v.major, v.minor);
            return SUPPORT_OK;
        }
        e.patch = 0;
        e.pre[0] = '\0';
        if (!any || version_compare(&e, &newest) > 0)
            newest = e;
        if (!any || version_compare(&e, &oldest) < 0)
            oldest = e;
        any = true;
    }
    if (!any) {
        snprintf(words, wordslen, "supported versions unknown");
        return SUPPORT_UNKNOWN;
    }
    ocp_version mm = v;
    mm.patch = 0;
    mm.pre[0] = '\0';
    if (version_compare(&mm, &newest) > 0) {
        snprintf(words, wordslen, "%d.%d is newer than the operator supports (newest %d.%d)", v.major, v.minor,
                 newest.major, newest.minor);
        return SUPPORT_TOO_NEW;
    }
    if (version_compare(&mm, &oldest) < 0) {
        snprintf(words, wordslen, "%d.%d is older than the operator supports (oldest %d.%d)", v.major, v.minor,
                 oldest.major, oldest.minor);
        return SUPPORT_TOO_OLD;
    }
    snprintf(words, wordslen, "%d.%d is not in the operator's supported list", v.major, v.minor);
    return SUPPORT_UNLISTED;
}
