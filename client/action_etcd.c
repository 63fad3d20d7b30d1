/* etcd member recovery (see action.h): a member in CrashLoopBackOff or Error whose peers hold
 * quorum is recovered by deleting its PVC and then its pod, without waiting; the StatefulSet
 * controller recreates both and the member rejoins with an empty data dir (its reset-member init
 * container removes and re-adds it). docs/operations.md has the procedure. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/action_internal.h"
#include "common/errfmt.h"
#include "common/jsonutil.h"

/* DELETE with a precondition on the uid: the object deleted is the one the dialog showed, never a
 * successor the StatefulSet made meanwhile under the same name. */
static int delete_call(action *a, res_kind kind, const char *ns, const char *name, const char *uid, const char *what,
                       const char *oc_type)
{
    cJSON *root = cJSON_CreateObject();
    json_set_str(root, "apiVersion", "v1");
    json_set_str(root, "kind", "DeleteOptions");
    if (uid)
        json_set_str(json_obj_child(root, "preconditions"), "uid", uid);
    json_set_str(root, "propagationPolicy", "Background");
    char *body = patch_text(root);
    char summary[700];
    snprintf(summary, sizeof summary, "delete %s %s/%s (no waiting for it to go)", what, ns, name);
    action_call *c = action_add_call(a, "DELETE", kind, ns, name, NULL, CT_JSON, body, summary);
    free(body);
    if (!c)
        return -1;
    char target[600];
    snprintf(target, sizeof target, "%s/%s", oc_type, name);
    const char *words[] = {"delete", target, "-n", ns, "--wait=false"};
    action_oc(a, words, sizeof words / sizeof words[0]);
    return 0;
}

int action_recover_etcd(action *a, const record *member, record *const *pods, size_t n_pods, const record *hc,
                        char *err, size_t errlen)
{
    if (!member || member->kind != RES_ETCD_POD)
        return set_err(err, errlen, "no etcd member selected");
    const char *ns = member->meta.namespace, *name = member->meta.name;
    if (member->meta.deleted != REC_TIME_UNKNOWN)
        return set_err(err, errlen, "%s/%s is already being deleted", ns, name);
    etcd_member m = derive_etcd_member(member);
    if (m.healthy)
        return set_err(err, errlen, "%s/%s is healthy: there is nothing to recover", ns, name);
    if (!m.crashlooping)
        return set_err(err, errlen,
                       "%s/%s is %s, not in CrashLoopBackOff or Error: recovery deletes a member's data only when it "
                       "keeps failing",
                       ns, name, m.words);
    etcd_quorum q = derive_etcd_quorum(hc, pods, n_pods);
    int others = 0;
    for (size_t i = 0; i < n_pods; i++)
        if (pods[i] != member && derive_etcd_member(pods[i]).healthy)
            others++;
    if (q.expected < 3)
        return set_err(err, errlen,
                       "%s/%s is the only member (SingleReplica): deleting its data loses the cluster's state; "
                       "restore from a backup instead",
                       ns, name);
    if (others < q.majority)
        return set_err(err, errlen,
                       "the other members do not hold quorum without %s (%d of %d healthy, %d needed): a new member "
                       "cannot join; follow the etcd disaster recovery procedure",
                       name, others, q.expected, q.majority);
    const char *pvc = member->u.pod.data_claim;
    char pvc_name[300];
    snprintf(pvc_name, sizeof pvc_name, "%s", pvc && pvc[0] ? pvc : "");
    if (!pvc_name[0])
        snprintf(pvc_name, sizeof pvc_name, "data-%s", name);
    /* the PVC first: it stays Terminating (kubernetes.io/pvc-protection) until the pod is gone */
    if (delete_call(a, RES_ETCD_PVC, ns, pvc_name, NULL, "PersistentVolumeClaim", "pvc") < 0 ||
        delete_call(a, RES_ETCD_POD, ns, name, member->meta.uid, "Pod", "pod") < 0)
        return too_many(err, errlen);
    a->title = xasprintf("Recover etcd member %s/%s (delete its data and pod)", ns, name);
    a->confirm_name = xstrdup(name);
    action_note(a, "%s: %s. The other %d member(s) hold quorum (%d needed).", name, m.words, others, q.majority);
    action_note(a, "The StatefulSet recreates %s and %s; the new member joins with an empty data dir and copies "
                   "the data from its peers.",
                pvc_name, name);
    return 0;
}
