/* Core v1 Events: queued during a tick, written at its end. A repeat of the same reason and message
 * for the same object bumps the existing Event's count and lastTimestamp, like the apiserver's event
 * correlator does. */
#include "sim/ctl_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/jsonutil.h"

void ctl_event_add(sim_controllers *c, sim_kind_id kind, const char *ns, const char *name, const char *uid,
                   const char *type, const char *reason, const char *component, const char *fmt, ...)
{
    if (c->nev == c->capev) {
        c->capev = c->capev ? c->capev * 2 : 32;
        c->evs = xrealloc(c->evs, c->capev * sizeof *c->evs);
    }
    pending_event *e = &c->evs[c->nev++];
    e->kind = sim_kind_get(kind);
    e->ns = xstrdup(ns);
    e->name = xstrdup(name);
    e->uid = xstrdup(str_or(uid, ""));
    e->type = type;
    e->reason = reason;
    e->component = component;
    buf b = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    e->message = buf_steal(&b);
}

static bool event_bump(cJSON *ev, void *ctx)
{
    const char *now = ctx;
    int64_t count = 1;
    json_int_at(&count, ev, "count", NULL);
    json_set_num(ev, "count", (double)(count + 1));
    json_set_str(ev, "lastTimestamp", now);
    return true;
}

void ctl_events_flush(sim_controllers *c)
{
    const sim_kind *k = sim_kind_get(SIM_EVENT);
    for (size_t i = 0; i < c->nev; i++) {
        pending_event *e = &c->evs[i];
        char *key = xasprintf("%s|%s|%s|%s|%s", e->ns, e->name, e->uid, e->reason, e->message);
        event_rec *rec = ctl_map_get(&c->events, key);
        if (!rec || !sim_store_mutate(c->s, k, rec->ns, rec->name, event_bump, c->nowts)) {
            char name[300];
            snprintf(name, sizeof name, "%.200s.%016llx", e->name,
                     (unsigned long long)(ctl_fnv_str(e->uid, FNV_SEED) ^ (++c->event_seq * 0x9e3779b97f4a7c15ULL)));
            cJSON *ev = cJSON_CreateObject();
            json_set_str(ev, "apiVersion", "v1");
            json_set_str(ev, "kind", "Event");
            cJSON *md = json_obj_child(ev, "metadata");
            json_set_str(md, "name", name);
            json_set_str(md, "namespace", e->ns);
            cJSON *io = json_obj_child(ev, "involvedObject");
            json_set_str(io, "apiVersion", sim_kind_api_version(e->kind));
            json_set_str(io, "kind", e->kind->kind);
            json_set_str(io, "namespace", e->ns);
            json_set_str(io, "name", e->name);
            json_set_str(io, "uid", e->uid);
            json_set_str(ev, "reason", e->reason);
            json_set_str(ev, "message", e->message);
            json_set_str(ev, "type", e->type);
            json_set_num(ev, "count", 1);
            json_set_str(ev, "firstTimestamp", c->nowts);
            json_set_str(ev, "lastTimestamp", c->nowts);
            json_set_str(json_obj_child(ev, "source"), "component", e->component);
            json_set_str(ev, "reportingComponent", e->component);
            json_set_str(ev, "reportingInstance", "");
            sim_reply r = sim_store_create(c->s, k, e->ns, ev, NULL);
            if (r.code == 201 || r.code == 200) {
                if (rec) {
                    snprintf(rec->name, sizeof rec->name, "%s", name);
                } else {
                    rec = xcalloc(1, sizeof *rec);
                    snprintf(rec->name, sizeof rec->name, "%s", name);
                    snprintf(rec->ns, sizeof rec->ns, "%s", e->ns);
                    ctl_map_add(&c->events, key, rec);
                }
            }
            cJSON_Delete(r.body);
            cJSON_Delete(ev);
        }
        free(key);
        free(e->ns);
        free(e->name);
        free(e->uid);
        free(e->message);
    }
    c->nev = 0;
}

void ctl_events_free(sim_controllers *c)
{
    for (size_t i = 0; i < c->nev; i++) {
        free(c->evs[i].ns);
        free(c->evs[i].name);
        free(c->evs[i].uid);
        free(c->evs[i].message);
    }
    free(c->evs);
    ctl_map_clear(&c->events, free);
}
