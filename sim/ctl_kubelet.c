/* The kubelet's part in a pod's graceful deletion: a DELETE gives a scheduled pod a deletionTimestamp
 * and a deletionGracePeriodSeconds and leaves it in the store (sim/store_delete.c); the kubelet of its
 * node stops its containers within the grace period and then confirms with a DELETE of grace 0 and a
 * uid precondition (pkg/kubelet/status/status_manager.go), which removes it. Here the confirmation
 * comes once the grace period has passed, counted in simulated seconds: one tick is one second (as
 * for the crash-loop back-off in ctl_etcd.c), or the clock reaching the deletionTimestamp, whichever
 * comes first. A pod with no node has no kubelet: the apiserver deleted it at once. */
#include "sim/ctl_internal.h"

#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/jsonutil.h"
#include "common/timeutil.h"

typedef struct doomed_pod {
    char *ns, *name, *uid;
    int64_t grace;
    time_t at;
} doomed_pod;

typedef struct doomed_list {
    doomed_pod *v;
    size_t n, cap;
} doomed_list;

static void collect_terminating(const cJSON *pod, void *ctx)
{
    doomed_list *l = ctx;
    const char *ts = json_str_at(pod, "metadata", "deletionTimestamp", NULL);
    const char *node = json_str_at(pod, "spec", "nodeName", NULL);
    const char *uid = json_str_at(pod, "metadata", "uid", NULL);
    if (!ts || !node || !*node || !uid)
        return;
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 16;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    doomed_pod *d = &l->v[l->n++];
    d->ns = xstrdup(str_or(json_str_at(pod, "metadata", "namespace", NULL), ""));
    d->name = xstrdup(str_or(json_str_at(pod, "metadata", "name", NULL), ""));
    d->uid = xstrdup(uid);
    d->grace = 0;
    json_int_at(&d->grace, pod, "metadata", "deletionGracePeriodSeconds", NULL);
    d->at = 0;
    rfc3339_parse(ts, &d->at);
}

static void free_tick(void *p)
{
    free(p);
}

void ctl_kubelet_step(sim_controllers *c)
{
    doomed_list l = {0};
    if (sim_store_deleting(c->s, sim_kind_get(SIM_POD)) > 0 || c->terminating.n > 0)
        sim_store_foreach(c->s, sim_kind_get(SIM_POD), NULL, collect_terminating, &l);
    strmap seen = {0}; /* uid -> the tick the pod was first seen terminating */
    for (size_t i = 0; i < l.n; i++) {
        doomed_pod *d = &l.v[i];
        uint64_t *first = ctl_map_get(&c->terminating, d->uid);
        uint64_t *keep = xmalloc(sizeof *keep);
        *keep = first ? *first : c->ticks;
        /* the tick that first sees it is the first second of its grace period */
        bool over = c->ticks - *keep + 1 >= (uint64_t)(d->grace > 0 ? d->grace : 0) || c->now >= d->at;
        if (over) {
            cJSON *opts = cJSON_CreateObject();
            json_set_num(opts, "gracePeriodSeconds", 0);
            json_set_str(json_obj_child(opts, "preconditions"), "uid", d->uid);
            sim_reply r = sim_store_delete(c->s, sim_kind_get(SIM_POD), d->ns, d->name, opts);
            cJSON_Delete(r.body);
            cJSON_Delete(opts);
            free(keep);
        } else {
            ctl_map_add(&seen, d->uid, keep);
        }
        free(d->ns);
        free(d->name);
        free(d->uid);
    }
    free(l.v);
    ctl_map_clear(&c->terminating, free_tick);
    c->terminating = seen;
}

void ctl_kubelet_free(sim_controllers *c)
{
    ctl_map_clear(&c->terminating, free_tick);
}
