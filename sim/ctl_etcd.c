/* etcd of a managed-etcd HostedCluster, as the StatefulSet controller, the CSI driver and the kubelet
 * move it: each tick a member's PVC is created and bound, its pod created, started and made ready, or
 * (on a corrupt PVC) crash-looped. A deleted pod goes once the kubelet (ctl_kubelet.c) has waited out its
 * grace period; a deleted PVC once no pod uses it (ctl_volumes.c); the StatefulSet controller makes
 * the claim again once it is gone, and the pod once its claim is not being deleted ("pvc data-etcd-N
 * is being deleted" holds it back, as in pkg/controller/statefulset/stateful_pod_control.go). The
 * StatefulSet's counts follow.
 *
 * A crash loop follows the kubelet's CrashLoopBackOff: after the n-th crash the container waits
 * sim_crash_backoff_s(n) (10 s doubling to 5 min) before it starts, and crashes, again. The wait is
 * counted in simulated time, where one controller tick is SIM_KUBELET_SECONDS_PER_TICK seconds: at the
 * server's default one-second tick that is the wall clock, and with manual ticks (--tick 0,
 * POST /hcpsim/v1/tick?n=N) N ticks are N seconds of back-off, so tests need no sleeping. */
#include "sim/ctl_internal.h"

#include <stdio.h>

#include "common/jsonutil.h"

typedef struct pod_step {
    sim_controllers *c;
    hc_info *h;
    int member;
    sim_pod_stage stage;
    int restarts;
} pod_step;

#define SIM_KUBELET_SECONDS_PER_TICK 1

/* The tick at which a back-off that starts now, after the restarts-th crash, ends. */
static uint64_t backoff_end(const sim_controllers *c, int restarts)
{
    return c->ticks + (uint64_t)(sim_crash_backoff_s(restarts) / SIM_KUBELET_SECONDS_PER_TICK);
}

static bool pod_restage(cJSON *pod, void *ctx)
{
    pod_step *p = ctx;
    sim_etcd_pod_set_stage(pod, p->stage, p->restarts, p->c->now);
    return true;
}

static bool pvc_bind(cJSON *pvc, void *ctx)
{
    const char *size = ctx;
    cJSON *fresh = sim_build_etcd_pvc(json_str_at(pvc, "metadata", "namespace", NULL),
                                      ctl_member_index(json_str_at(pvc, "metadata", "name", NULL), "data-etcd-"), size,
                                      true, false);
    json_set_item(pvc, "status", cJSON_DetachItemFromObjectCaseSensitive(fresh, "status"));
    const char *vol = json_str_at(fresh, "spec", "volumeName", NULL);
    json_set_str(json_obj_child(pvc, "spec"), "volumeName", str_or(vol, ""));
    cJSON_Delete(fresh);
    return true;
}

/* One step of one member: PVC first (the pod needs it), then the pod's life stage. */
static void etcd_member_step(sim_controllers *c, hc_info *h, int i)
{
    member *m = &h->m[i];
    uint64_t *crash_until = &h->st->crash_until[i];
    const sim_kind *pvck = sim_kind_get(SIM_PVC), *podk = sim_kind_get(SIM_POD);
    char pvc[32], pod[32], uid[64];
    snprintf(pvc, sizeof pvc, "data-etcd-%d", i);
    snprintf(pod, sizeof pod, "etcd-%d", i);
    bool pvc_ready = m->pvc && m->pvc_bound && !m->pvc_deleting;

    /* A deleted claim stays Terminating while a pod uses it; the pvc-protection controller
     * (ctl_volumes.c) lets it go, and the claim is made again once it is gone. */
    if (!m->pvc) {
        ctl_create_obj(c, SIM_PVC, sim_build_etcd_pvc(h->cpns, i, h->size, false, false));
        ctl_event_add(c, SIM_STATEFULSET, h->cpns, "etcd",
                      ctl_uid_of(c, SIM_STATEFULSET, h->cpns, "etcd", uid, sizeof uid), "Normal", "SuccessfulCreate",
                      "statefulset-controller", "create Claim %s Pod %s in StatefulSet etcd success", pvc, pod);
        snprintf(h->pending_pvc, sizeof h->pending_pvc, "%s", pvc);
    } else if (!m->pvc_bound && !m->pvc_deleting) {
        sim_store_mutate(c->s, pvck, h->cpns, pvc, pvc_bind, (void *)h->size);
        ctl_event_add(c, SIM_PVC, h->cpns, pvc, ctl_uid_of(c, SIM_PVC, h->cpns, pvc, uid, sizeof uid), "Normal",
                      "ProvisioningSucceeded", "ebs.csi.aws.com_aws-ebs-csi-driver-controller",
                      "Successfully provisioned volume for claim \"%s/%s\"", h->cpns, pvc);
    }
    if (m->pvc && !m->pvc_bound && !m->pvc_deleting)
        snprintf(h->pending_pvc, sizeof h->pending_pvc, "%s", pvc);

    if (!m->pod || m->stage != SIM_POD_CRASHING)
        *crash_until = 0; /* a new pod, or a container that runs: no back-off pending */
    if (!m->pod) {
        if (m->pvc_deleting)
            return; /* the StatefulSet waits for the old claim to go */
        ctl_uid_of(c, SIM_STATEFULSET, h->cpns, "etcd", uid, sizeof uid);
        ctl_create_obj(c, SIM_POD, sim_build_etcd_pod(h->cpns, i, h->ha, SIM_POD_PENDING, 0, c->now, uid));
        ctl_event_add(c, SIM_STATEFULSET, h->cpns, "etcd", uid, "Normal", "SuccessfulCreate", "statefulset-controller",
                      "create Pod %s in StatefulSet etcd successful", pod);
        return;
    }
    if (m->pod_deleting)
        return;
    pod_step step = {c, h, i, m->stage, m->restarts};
    switch (m->stage) {
    case SIM_POD_PENDING:
        if (!pvc_ready)
            return;
        step.stage = SIM_POD_STARTING;
        ctl_event_add(c, SIM_POD, h->cpns, pod, ctl_uid_of(c, SIM_POD, h->cpns, pod, uid, sizeof uid), "Normal",
                      "Started", "kubelet", "Started container etcd");
        break;
    case SIM_POD_STARTING:
    case SIM_POD_READY:
        if (m->corrupt) {
            step.stage = SIM_POD_CRASHING;
            step.restarts++;
        } else {
            step.stage = SIM_POD_READY;
        }
        break;
    case SIM_POD_CRASHING:
        if (!m->corrupt) {
            step.stage = SIM_POD_STARTING;
            step.restarts++;
        } else if (*crash_until == 0) {
            *crash_until = backoff_end(c, m->restarts); /* a crash loop the controllers did not see start */
        } else if (c->ticks >= *crash_until) {
            step.restarts++; /* the back-off is over: it starts, and crashes again */
        }
        break;
    }
    if (step.stage == SIM_POD_CRASHING && step.restarts != m->restarts) {
        *crash_until = backoff_end(c, step.restarts);
        ctl_event_add(c, SIM_POD, h->cpns, pod, ctl_uid_of(c, SIM_POD, h->cpns, pod, uid, sizeof uid), "Warning",
                      "BackOff", "kubelet", "Back-off restarting failed container etcd in pod %s_%s(%s)", pod, h->cpns,
                      uid);
    }
    if (step.stage != m->stage || step.restarts != m->restarts) {
        sim_store_mutate(c->s, podk, h->cpns, pod, pod_restage, &step);
        m->stage = step.stage;
        m->restarts = step.restarts;
    }
}

typedef struct sts_counts {
    int ready, current;
} sts_counts;

static bool sts_set_status(cJSON *sts, void *ctx)
{
    const sts_counts *n = ctx;
    cJSON *st = json_obj_child(sts, "status");
    ctl_set_num(st, "replicas", n->current);
    ctl_set_num(st, "currentReplicas", n->current);
    ctl_set_num(st, "updatedReplicas", n->current);
    ctl_set_num(st, "readyReplicas", n->ready);
    ctl_set_num(st, "availableReplicas", n->ready);
    return true;
}

void ctl_etcd_step(sim_controllers *c, hc_info *h)
{
    if (!h->managed || h->deleting)
        return;
    int replicas = h->ha ? 3 : 1;
    if (!h->sts) {
        ctl_create_obj(c, SIM_STATEFULSET, sim_build_etcd_statefulset(h->cpns, replicas, h->size));
        h->st->sts_ready = h->st->sts_current = 0;
        h->sts = true;
    }
    sts_counts n = {0, 0};
    for (int i = 0; i < replicas; i++) {
        etcd_member_step(c, h, i);
        if (h->m[i].pod)
            n.current++;
        if (h->m[i].pod && h->m[i].stage == SIM_POD_READY)
            n.ready++;
    }
    h->ready = n.ready;
    if (n.ready != h->st->sts_ready || n.current != h->st->sts_current) {
        sim_store_mutate(c->s, sim_kind_get(SIM_STATEFULSET), h->cpns, "etcd", sts_set_status, &n);
        h->st->sts_ready = n.ready;
        h->st->sts_current = n.current;
    }
}
