/* Deletion as kube-apiserver does it, in the store: graceful pod deletion (pkg/registry/core/pod
 * strategy.go CheckGracefulDelete, k8s.io/apiserver pkg/registry/rest/delete.go BeforeDelete), the
 * PVC protection finalizer from admission and markAsDeleting for objects with finalizers
 * (pkg/registry/generic/registry/store.go), and what each kind's DELETE answers. The op-etcd-member-
 * recover example of the reference answers shows the same on a real server. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "tests/unit/sim_store_fixture.h"

#define POD_ON_NODE                                                                                               \
    "{'metadata':{'name':'%s'},'spec':{'nodeName':'node-a',%s'containers':[{'name':'c','image':'i:1'}],"          \
    "'volumes':[{'name':'data','persistentVolumeClaim':{'claimName':'claim'}}]}}"

static void mkpod(sim_store *s, const char *name, const char *extra_spec)
{
    createf(s, SIM_POD, "n", POD_ON_NODE, name, extra_spec);
}

static sim_reply del_with(sim_store *s, sim_kind_id id, const char *name, const char *options)
{
    cJSON *o = J(options);
    sim_reply r = sim_store_delete(s, K(id), "n", name, o);
    cJSON_Delete(o);
    return r;
}

static const char *deletion_ts(const cJSON *obj)
{
    return json_str_at(obj, "metadata", "deletionTimestamp", NULL);
}

static int64_t meta_int(const cJSON *obj, const char *field)
{
    int64_t v = -1;
    json_int_at(&v, obj, "metadata", field, NULL);
    return v;
}

static void test_pod_defaults(void **state)
{
    (void)state;
    sim_store *s = new_store(0);
    mkns(s, "n");
    mkpod(s, "p", "");
    sim_reply r = sim_store_get(s, K(SIM_POD), "n", "p", SIM_SUB_NONE);
    int64_t v = 0;
    assert_true(json_int_at(&v, r.body, "spec", "terminationGracePeriodSeconds", NULL));
    assert_int_equal(v, 30);
    assert_string_equal(json_str_at(r.body, "spec", "restartPolicy", NULL), "Always");
    assert_string_equal(json_str_at(r.body, "spec", "dnsPolicy", NULL), "ClusterFirst");
    const cJSON *c = cJSON_GetArrayItem(json_at(r.body, "spec", "containers", NULL), 0);
    assert_string_equal(json_str_at(c, "imagePullPolicy", NULL), "IfNotPresent");
    assert_string_equal(json_str_at(c, "terminationMessagePolicy", NULL), "File");
    assert_string_equal(json_str_at(r.body, "status", "phase", NULL), "Pending");
    cJSON_Delete(r.body);
    sim_store_free(s);
}

static void test_pod_graceful_delete(void **state)
{
    (void)state;
    sim_store *s = new_store(0);
    mkns(s, "n");
    mkpod(s, "p", "");
    /* an empty DeleteOptions (what kubectl sends): the pod's own grace period, 30 s */
    sim_reply r = del_with(s, SIM_POD, "p", "{'kind':'DeleteOptions','apiVersion':'v1'}");
    assert_int_equal(r.code, 200);
    assert_string_equal(json_str_at(r.body, "kind", NULL), "Pod");
    assert_string_equal(deletion_ts(r.body), "2026-07-04T00:00:30Z");
    assert_int_equal(meta_int(r.body, "deletionGracePeriodSeconds"), 30);
    assert_int_equal(meta_int(r.body, "generation"), 2);
    cJSON_Delete(r.body);
    assert_int_equal(sim_store_count(s, K(SIM_POD)), 1);
    assert_int_equal(sim_store_deleting(s, K(SIM_POD)), 1);
    /* a second delete with no shorter period changes nothing */
    uint64_t rv = sim_store_rv(s);
    r = del_with(s, SIM_POD, "p", "{'gracePeriodSeconds':60}");
    assert_int_equal(r.code, 200);
    assert_int_equal(meta_int(r.body, "deletionGracePeriodSeconds"), 30);
    cJSON_Delete(r.body);
    assert_int_equal(sim_store_rv(s), rv);
    /* a status write in the grace period keeps the pod (ShouldDeleteDuringUpdate wants grace 0) */
    r = patch(s, SIM_POD, "n", "p", SIM_PATCH_MERGE, "{'status':{'phase':'Running'}}", SIM_SUB_STATUS);
    assert_int_equal(r.code, 200);
    cJSON_Delete(r.body);
    assert_int_equal(sim_store_count(s, K(SIM_POD)), 1);
    /* a shorter one moves the deletionTimestamp back */
    r = del_with(s, SIM_POD, "p", "{'gracePeriodSeconds':10}");
    assert_string_equal(deletion_ts(r.body), "2026-07-04T00:00:10Z");
    assert_int_equal(meta_int(r.body, "deletionGracePeriodSeconds"), 10);
    assert_int_equal(meta_int(r.body, "generation"), 2); /* only the first graceful delete bumps it */
    cJSON_Delete(r.body);
    assert_int_equal(sim_store_count(s, K(SIM_POD)), 1);
    /* grace 0 (the kubelet's confirmation, or --grace-period=0 --force): gone, the object answered */
    r = del_with(s, SIM_POD, "p", "{'gracePeriodSeconds':0}");
    assert_int_equal(r.code, 200);
    assert_string_equal(json_str_at(r.body, "kind", NULL), "Pod");
    cJSON_Delete(r.body);
    assert_int_equal(sim_store_count(s, K(SIM_POD)), 0);
    assert_int_equal(sim_store_deleting(s, K(SIM_POD)), 0);

    /* a period of the pod's own, an explicit one, and a negative one (1 s) */
    mkpod(s, "q", "'terminationGracePeriodSeconds':5,");
    r = del_with(s, SIM_POD, "q", "{}");
    assert_int_equal(meta_int(r.body, "deletionGracePeriodSeconds"), 5);
    cJSON_Delete(r.body);
    mkpod(s, "m", "");
    r = del_with(s, SIM_POD, "m", "{'gracePeriodSeconds':-5}");
    assert_int_equal(meta_int(r.body, "deletionGracePeriodSeconds"), 1);
    assert_string_equal(deletion_ts(r.body), "2026-07-04T00:00:01Z");
    cJSON_Delete(r.body);
    sim_store_free(s);
}

static void test_pod_deleted_at_once(void **state)
{
    (void)state;
    sim_store *s = new_store(0);
    mkns(s, "n");
    /* not scheduled: no kubelet to wait for */
    assert_int_equal(create(s, SIM_POD, "n", "{'metadata':{'name':'u'},'spec':{'containers':[{'name':'c','image':'i'}]}}"),
                     201);
    sim_reply r = del_with(s, SIM_POD, "u", "{}");
    assert_int_equal(r.code, 200);
    assert_string_equal(json_str_at(r.body, "kind", NULL), "Pod");
    cJSON_Delete(r.body);
    /* terminated */
    mkpod(s, "t", "");
    r = patch(s, SIM_POD, "n", "t", SIM_PATCH_MERGE, "{'status':{'phase':'Succeeded'}}", SIM_SUB_STATUS);
    cJSON_Delete(r.body);
    r = del_with(s, SIM_POD, "t", "{}");
    cJSON_Delete(r.body);
    /* a NULL DeleteOptions is grace 0, as the registry treats nil options */
    mkpod(s, "z", "");
    assert_int_equal(del(s, SIM_POD, "n", "z"), 200);
    assert_int_equal(sim_store_count(s, K(SIM_POD)), 0);
    sim_store_free(s);
}

static void test_pvc_protection(void **state)
{
    (void)state;
    sim_store *s = new_store(0);
    mkns(s, "n");
    assert_int_equal(create(s, SIM_PVC, "n", "{'metadata':{'name':'claim'},'spec':{'accessModes':['ReadWriteOnce']}}"),
                     201);
    sim_reply r = sim_store_get(s, K(SIM_PVC), "n", "claim", SIM_SUB_NONE);
    const cJSON *fin = json_at(r.body, "metadata", "finalizers", NULL);
    assert_int_equal(cJSON_GetArraySize(fin), 1);
    assert_string_equal(cJSON_GetArrayItem(fin, 0)->valuestring, "kubernetes.io/pvc-protection");
    assert_string_equal(json_str_at(r.body, "spec", "volumeMode", NULL), "Filesystem");
    cJSON_Delete(r.body);
    /* DELETE: 200 with the object marked (deletionTimestamp now, grace 0), and it stays */
    r = del_with(s, SIM_PVC, "claim", "{'propagationPolicy':'Background'}");
    assert_int_equal(r.code, 200);
    assert_string_equal(json_str_at(r.body, "kind", NULL), "PersistentVolumeClaim");
    assert_string_equal(deletion_ts(r.body), "2026-07-04T00:00:00Z");
    assert_int_equal(meta_int(r.body, "deletionGracePeriodSeconds"), 0);
    cJSON_Delete(r.body);
    assert_int_equal(sim_store_count(s, K(SIM_PVC)), 1);
    assert_int_equal(sim_store_deleting(s, K(SIM_PVC)), 1);
    /* the finalizer's removal completes the delete */
    r = patch(s, SIM_PVC, "n", "claim", SIM_PATCH_MERGE, "{'metadata':{'finalizers':null}}", SIM_SUB_NONE);
    assert_int_equal(r.code, 200);
    cJSON_Delete(r.body);
    assert_int_equal(sim_store_count(s, K(SIM_PVC)), 0);
    assert_int_equal(sim_store_deleting(s, K(SIM_PVC)), 0);
    sim_store_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pod_defaults),
        cmocka_unit_test(test_pod_graceful_delete),
        cmocka_unit_test(test_pod_deleted_at_once),
        cmocka_unit_test(test_pvc_protection),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
