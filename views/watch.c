/* The watch: what a wall display or a bastion's tmux window shows with `--watch`: one line of the
 * fleet's state, then its problems, worst first: hosted clusters failing (not Available, Degraded,
 * etcd quorum lost), then warnings (quorum one failure from loss, a blocked upgrade, a node pool not
 * ready, an unsupported version skew), then pauses. Nothing else: a healthy fleet is one line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/derive.h"
#include "client/store.h"
#include "common/buf.h"
#include "views/catalog.h"
#include "views/fmt.h"
#include "views/rows.h"
#include "views/scope.h"

enum { COL_SEVERITY, COL_KIND, COL_NAMESPACE, COL_NAME, COL_PROBLEM, N_COLS };

static const view_column columns[N_COLS] = {
    [COL_SEVERITY] = {"severity", "SEVERITY", 8, 8, 0, false},
    [COL_KIND] = {"kind", "KIND", 8, 13, 2, false},
    [COL_NAMESPACE] = {"namespace", "NAMESPACE", 9, 24, 1, false},
    [COL_NAME] = {"name", "NAME", 8, 40, 0, false},
    [COL_PROBLEM] = {"problem", "PROBLEM", 20, 0, 0, false},
};

static const char *const aliases[] = {"watch", "problems", NULL};

enum { SEV_PAUSED, SEV_WARNING, SEV_CRITICAL };

typedef struct problem {
    int severity;
    const record *r;
    char words[256];
} problem;

typedef struct problems {
    problem *p;
    size_t n, cap;
} problems;

static void add(problems *ps, int severity, const record *r, const char *words)
{
    if (ps->n == ps->cap) {
        ps->cap = ps->cap ? ps->cap * 2 : 64;
        ps->p = xrealloc(ps->p, ps->cap * sizeof *ps->p);
    }
    problem *p = &ps->p[ps->n++];
    p->severity = severity;
    p->r = r;
    snprintf(p->words, sizeof p->words, "%s", words);
}

/* Worst first; then namespace and name, so the list does not move while nothing changes. */
static int by_severity(const void *a, const void *b)
{
    const problem *x = a, *y = b;
    if (x->severity != y->severity)
        return y->severity - x->severity;
    int c = strcmp(x->r->meta.namespace, y->r->meta.namespace);
    if (c)
        return c;
    if (x->r->kind != y->r->kind)
        return (int)x->r->kind - (int)y->r->kind;
    return strcmp(x->r->meta.name, y->r->meta.name);
}

typedef struct tally {
    size_t clusters, critical, warning, paused, pools, pools_bad;
} tally;

static void clusters_of(store *st, const view_scope *scope, time_t now, problems *ps, tally *t)
{
    size_t n = 0;
    record **hcs = scope_clusters(st, scope, &n);
    t->clusters = n;
    for (size_t i = 0; i < n; i++) {
        etcd_quorum q;
        hc_health h = fmt_cluster_health(st, hcs[i], now, &q);
        pause_info pause = derive_paused(hcs[i]->u.hc.paused_until, now);
        if (h.level == HEALTH_FAILING) {
            add(ps, SEV_CRITICAL, hcs[i], h.words);
            t->critical++;
        } else if (pause_is_paused(&pause)) { /* a pause is a pause, not a warning */
            add(ps, SEV_PAUSED, hcs[i], pause.words);
            t->paused++;
        } else if (h.level == HEALTH_WARNING) {
            add(ps, SEV_WARNING, hcs[i], h.words);
            t->warning++;
        }
    }
    free(hcs);
}

static void pools_of(store *st, const view_scope *scope, problems *ps, tally *t)
{
    size_t n = 0;
    record **nps = scope_nodepools(st, scope, &n);
    t->pools = n;
    for (size_t i = 0; i < n; i++) {
        const record *np = nps[i];
        const rec_condition *ready = rec_condition_find(&np->u.np.conditions, "Ready");
        np_skew skew = derive_np_skew(np, store_hc_of_nodepool(st, np));
        char words[256];
        if (ready && ready->status == COND_FALSE) {
            snprintf(words, sizeof words, "not ready: %s%s%s", ready->reason ? ready->reason : "",
                     ready->message && ready->message[0] ? ": " : "", ready->message ? ready->message : "");
            add(ps, SEV_WARNING, np, words);
            t->pools_bad++;
        } else if (skew.unsupported) {
            snprintf(words, sizeof words, "version skew: %s", skew.words);
            add(ps, SEV_WARNING, np, words);
            t->pools_bad++;
        }
    }
    free(nps);
}

static void summary(rowtab *rt, const tally *t)
{
    rowtab_add(rt, NULL, true, t->critical ? ROLE_BAD : t->warning || t->pools_bad ? ROLE_WARN : ROLE_OK);
    if (!t->critical && !t->warning && !t->pools_bad && !t->paused) {
        rowtab_set(rt, 0, ROLE_OK, "Fleet: all %zu hosted clusters and %zu node pools healthy", t->clusters,
                   t->pools);
        return;
    }
    rowtab_set(rt, 0, t->critical ? ROLE_BAD : ROLE_WARN,
               "Fleet: %zu hosted clusters (%zu critical, %zu warning, %zu paused), %zu node pools (%zu with a "
               "problem)",
               t->clusters, t->critical, t->warning, t->paused, t->pools, t->pools_bad);
}

static void *watch_create(void)
{
    return rowtab_new(N_COLS);
}

static bool watch_refresh(void *priv, store *st, const view_scope *scope, time_t now)
{
    rowtab *rt = priv;
    rowtab_begin(rt);
    if (st) {
        problems ps = {0};
        tally t = {0};
        clusters_of(st, scope, now, &ps, &t);
        pools_of(st, scope, &ps, &t);
        if (ps.n) /* qsort wants an array, even of none */
            qsort(ps.p, ps.n, sizeof *ps.p, by_severity);
        summary(rt, &t);
        static const char *const sev_words[] = {"PAUSED", "WARNING", "CRITICAL"};
        static const view_role sev_roles[] = {ROLE_PAUSED, ROLE_WARN, ROLE_BAD};
        for (size_t i = 0; i < ps.n; i++) {
            const problem *p = &ps.p[i];
            view_object o;
            const char *cluster = p->r->kind == RES_HOSTEDCLUSTER ? p->r->meta.name : p->r->u.np.cluster_name;
            fmt_object(&o, p->r, p->r->meta.namespace, cluster);
            rowtab_add(rt, &o, false, sev_roles[p->severity]);
            rowtab_set_text(rt, COL_SEVERITY, sev_roles[p->severity], sev_words[p->severity]);
            rowtab_set_text(rt, COL_KIND, ROLE_DEFAULT, res_kind_name(p->r->kind));
            rowtab_set_text(rt, COL_NAMESPACE, ROLE_DEFAULT, p->r->meta.namespace);
            rowtab_set_text(rt, COL_NAME, ROLE_ACCENT, p->r->meta.name);
            rowtab_set_text(rt, COL_PROBLEM, sev_roles[p->severity], p->words);
        }
        free(ps.p);
    }
    return rowtab_end(rt);
}

const view_ops view_watch_ops = {
    .name = "watch",
    .title = "Fleet problems",
    .aliases = aliases,
    .help = "The fleet in one line, then every problem, worst first (hcptui --watch)",
    .empty_text = "No data yet",
    .columns = columns,
    .n_columns = N_COLS,
    .flags = VIEW_WATCH,
    .depends = VIEW_DEP_HOSTEDCLUSTERS | VIEW_DEP_NODEPOOLS | VIEW_DEP_ETCD_PODS,
    .default_sort = -1,
    .create = watch_create,
    .refresh = watch_refresh,
    ROWTAB_QUERY_OPS,
};
