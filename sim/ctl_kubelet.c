/* The kubelet's part in a pod's graceful deletion: a DELETE gives a scheduled pod a deletionTimestamp
 * and a deletionGracePeriodSeconds and leaves it in the store (sim/store_delete.c); the kubelet of its
 * node stops its containers within the grace period and then confirms with a DELETE of grace 0 and a
 * uid precondition (pkg/kubelet/status/status_manager.go), which removes it. Here the confirmation
 * comes once the grace period has passed, counted in simulated seconds: one tick is one second (as
 * for the crash-loop back-off in ctl_etcd.c), or the clock reaching the deletionTimestamp, whichever
 * comes first. Meanwhile the pod's containers have stopped: on first sight the kubelet reports them
 * terminated (exit 0, Completed) and the pod not Ready, so its StatefulSet counts it out at once. A
 * pod with no node has no kubelet: the apiserver deleted it at once. */
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

/* What the kubelet reports once it has stopped a terminating pod's containers (SIGTERM, exit 0): each
 * container terminated and not ready, and the pod's Ready and ContainersReady conditions False. */
static bool stop_containers(cJSON *pod, void *ctx)
{
    const char *now = ctx;
    cJSON *cs;
    buf names = BUF_INIT;
    bool changed = false;
    cJSON_ArrayForEach(cs, json_at(pod, "status", "containerStatuses", NULL))
    {
        if (json_at(cs, "state", "terminated", NULL))
            continue;
        const char *started = json_str_at(cs, "state", "running", "startedAt", NULL);
        cJSON *term = cJSON_CreateObject();
        json_set_num(term, "exitCode", 0);
        json_set_str(term, "reason", "Completed");
        json_set_str(term, "startedAt", started ? started : now);
        json_set_str(term, "finishedAt", now);
        cJSON *state = cJSON_CreateObject();
        cJSON_AddItemToObject(state, "terminated", term);
        json_set_item(cs, "state", state);
        json_set_bool(cs, "ready", false);
        json_set_bool(cs, "started", false);
        buf_printf(&names, "%s%s", names.len ? " " : "", str_or(json_str_at(cs, "name", NULL), ""));
        changed = true;
    }
    cJSON *c;
    cJSON_ArrayForEach(c, json_at(pod, "status", "conditions", NULL))
    {
        const char *type = json_str_at(c, "type", NULL);
        if (!changed || !type || (strcmp(type, "Ready") != 0 && strcmp(type, "ContainersReady") != 0))
            continue;
        json_set_str(c, "status", "False");
        json_set_str(c, "reason", "ContainersNotReady");
        char *msg = xasprintf("containers with unready status: [%s]", buf_str(&names));
        json_set_str(c, "message", msg);
        free(msg);
        json_set_str(c, "lastTransitionTime", now);
    }
    buf_free(&names);
    return changed;
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
        if (!first) /* first seen: the containers are told to stop, and stop */
            sim_store_mutate(c->s, sim_kind_get(SIM_POD), d->ns, d->name, stop_containers, c->nowts);
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
