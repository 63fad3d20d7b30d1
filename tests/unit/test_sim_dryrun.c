/* Server-side dry runs (dryRun=All) in the store: every write is checked, defaulted and answered as
 * if stored, and nothing is stored. The real behaviour is k8s.io/apiserver
 * pkg/registry/generic/registry/dryrun.go (DryRunnableStorage: Create copies the object out with no
 * resourceVersion, GuaranteedUpdate answers tryUpdate's result with the stored resourceVersion, Delete
 * checks the preconditions and answers the object) and the op-dry-run example of the reference
 * answers (a dry-run merge patch moves generation, not resourceVersion). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "tests/unit/sim_store_fixture.h"

static const sim_write_opts dry = {.dry_run = true};

/* The store's resourceVersion and the object's text before a dry run, to compare after it. */
typedef struct snapshot {
    uint64_t rv;
    char *text;
} snapshot;

static snapshot snap(sim_store *s, sim_kind_id id, const char *ns, const char *name)
{
    snapshot p = {sim_store_rv(s), NULL};
    sim_reply r = sim_store_get(s, K(id), ns, name, SIM_SUB_NONE);
    assert_int_equal(r.code, 200);
    p.text = cJSON_PrintUnformatted(r.body);
    cJSON_Delete(r.body);
    return p;
}

/* Nothing moved: the same store resourceVersion, the same object. */
static void assert_untouched(sim_store *s, sim_kind_id id, const char *ns, const char *name, snapshot *before)
{
    snapshot now = snap(s, id, ns, name);
    assert_int_equal(now.rv, before->rv);
    assert_string_equal(now.text, before->text);
    free(now.text);
    free(before->text);
}

static sim_reply dry_patch(sim_store *s, sim_kind_id id, const char *ns, const char *name, sim_patch_type t,
                           const char *json, sim_subresource sub)
{
    char *body = xstrdup(json);
    for (char *p = body; *p; p++)
        if (*p == '\'')
            *p = '"';
    sim_reply r = sim_store_patch(s, K(id), ns, name, t, body, strlen(body), sub, &dry);
    free(body);
    return r;
}

static sim_store *store_with_pool(void)
{
    sim_store *s = new_store(0);
    mkns(s, "n");
    assert_int_equal(create(s, SIM_HOSTEDCLUSTER, "n", "{'metadata':{'name':'hc'},'spec':{'channel':'stable-4.17'}}"),
                     201);
    assert_int_equal(create(s, SIM_NODEPOOL, "n", "{'metadata':{'name':'np'},'spec':{'replicas':4}}"), 201);
    sim_reply r = patch(s, SIM_NODEPOOL, "n", "np", SIM_PATCH_MERGE, "{'status':{'replicas':2}}", SIM_SUB_STATUS);
    assert_int_equal(r.code, 200);
    cJSON_Delete(r.body);
    return s;
}

static void test_dry_create(void **state)
{
    (void)state;
    sim_store *s = store_with_pool();
    uint64_t rv = sim_store_rv(s);
    size_t claims = sim_store_count(s, K(SIM_PVC));
    cJSON *o = J("{'metadata':{'name':'claim'},'spec':{'accessModes':['ReadWriteOnce']}}");
    sim_reply r = sim_store_create(s, K(SIM_PVC), "n", o, &dry);
    assert_int_equal(r.code, 201);
    assert_non_null(json_str_at(r.body, "metadata", "uid", NULL));
    assert_string_equal(json_str_at(r.body, "metadata", "creationTimestamp", NULL), "2026-07-04T00:00:00Z");
    assert_null(json_at(r.body, "metadata", "resourceVersion", NULL)); /* never stored: none assigned */
    /* admitted and defaulted as a real create would be */
    assert_string_equal(json_str_at(cJSON_GetArrayItem(json_at(r.body, "metadata", "finalizers", NULL), 0), NULL),
                        "kubernetes.io/pvc-protection");
    assert_string_equal(json_str_at(r.body, "status", "phase", NULL), "Pending");
    cJSON_Delete(r.body);
    assert_int_equal(sim_store_rv(s), rv);
    assert_int_equal(sim_store_count(s, K(SIM_PVC)), claims);
    r = sim_store_get(s, K(SIM_PVC), "n", "claim", SIM_SUB_NONE);
    assert_int_equal(r.code, 404);
    cJSON_Delete(r.body);
    /* a name that exists is still a conflict, an invalid one still a 422 */
    cJSON_Delete(o);
    o = J("{'metadata':{'name':'np'}}");
    assert_status(sim_store_create(s, K(SIM_NODEPOOL), "n", o, &dry), 409, "AlreadyExists",
                  "nodepools.hypershift.openshift.io \"np\" already exists");
    cJSON_Delete(o);
    o = J("{'metadata':{'name':'Bad_Name'}}");
    r = sim_store_create(s, K(SIM_CONFIGMAP), "n", o, &dry);
    assert_int_equal(r.code, 422);
    cJSON_Delete(r.body);
    cJSON_Delete(o);
    assert_int_equal(sim_store_rv(s), rv);
    sim_store_free(s);
}

static void test_dry_patch_every_type(void **state)
{
    (void)state;
    sim_store *s = store_with_pool();
    snapshot before = snap(s, SIM_HOSTEDCLUSTER, "n", "hc");
    sim_watch *w;
    char rvtxt[24];
    snprintf(rvtxt, sizeof rvtxt, "%llu", (unsigned long long)before.rv);
    sim_reply r = sim_store_watch(s, K(SIM_HOSTEDCLUSTER), NULL, rvtxt, &w);
    assert_int_equal(r.code, 200);
    char *stored_rv = get_rv(s, SIM_HOSTEDCLUSTER, "n", "hc");

    r = dry_patch(s, SIM_HOSTEDCLUSTER, "n", "hc", SIM_PATCH_MERGE, "{'spec':{'channel':'eus-4.18'}}", SIM_SUB_NONE);
    assert_int_equal(r.code, 200);
    assert_string_equal(json_str_at(r.body, "spec", "channel", NULL), "eus-4.18");
    assert_string_equal(json_str_at(r.body, "metadata", "resourceVersion", NULL), stored_rv);
    int64_t g = 0;
    assert_true(json_int_at(&g, r.body, "metadata", "generation", NULL));
    assert_int_equal(g, 2); /* what the stored object would get */
    cJSON_Delete(r.body);

    r = dry_patch(s, SIM_HOSTEDCLUSTER, "n", "hc", SIM_PATCH_JSON,
                  "[{'op':'add','path':'/metadata/annotations','value':{'a':'b'}}]", SIM_SUB_NONE);
    assert_int_equal(r.code, 200);
    assert_string_equal(json_str_at(r.body, "metadata", "annotations", "a", NULL), "b");
    cJSON_Delete(r.body);

    /* a stale resourceVersion precondition fails as it would without dryRun */
    r = dry_patch(s, SIM_HOSTEDCLUSTER, "n", "hc", SIM_PATCH_MERGE,
                  "{'metadata':{'resourceVersion':'1'},'spec':{'channel':'x'}}", SIM_SUB_NONE);
    assert_status(r, 409, "Conflict",
                  "Operation cannot be fulfilled on hostedclusters.hypershift.openshift.io \"hc\": the object has "
                  "been modified; please apply your changes to the latest version and try again");

    /* status, and a strategic merge patch of a core kind */
    r = dry_patch(s, SIM_HOSTEDCLUSTER, "n", "hc", SIM_PATCH_MERGE, "{'status':{'x':1}}", SIM_SUB_STATUS);
    assert_int_equal(r.code, 200);
    cJSON_Delete(r.body);
    assert_int_equal(create(s, SIM_CONFIGMAP, "n", "{'metadata':{'name':'cm'},'data':{'k':'v'}}"), 201);
    snapshot cm = snap(s, SIM_CONFIGMAP, "n", "cm");
    r = dry_patch(s, SIM_CONFIGMAP, "n", "cm", SIM_PATCH_STRATEGIC, "{'data':{'k':'w'}}", SIM_SUB_NONE);
    assert_int_equal(r.code, 200);
    assert_string_equal(json_str_at(r.body, "data", "k", NULL), "w");
    cJSON_Delete(r.body);
    assert_untouched(s, SIM_CONFIGMAP, "n", "cm", &cm);

    /* none of it reached the store or the watch */
    char *line = NULL;
    assert_int_equal(sim_watch_next(w, 50, &line), SIM_WATCH_TIMEOUT);
    sim_watch_free(w);
    snapshot after = snap(s, SIM_HOSTEDCLUSTER, "n", "hc");
    assert_string_equal(after.text, before.text);
    free(after.text);
    free(before.text);
    free(stored_rv);
    sim_store_free(s);
}

static void test_dry_update_and_scale(void **state)
{
    (void)state;
    sim_store *s = store_with_pool();
    snapshot before = snap(s, SIM_NODEPOOL, "n", "np");
    char *rv = get_rv(s, SIM_NODEPOOL, "n", "np");
    char js[200];
    snprintf(js, sizeof js, "{'metadata':{'name':'np','resourceVersion':'%s'},'spec':{'replicas':7}}", rv);
    cJSON *o = J(js);
    sim_reply r = sim_store_update(s, K(SIM_NODEPOOL), "n", "np", o, SIM_SUB_NONE, &dry);
    assert_int_equal(r.code, 200);
    assert_string_equal(json_str_at(r.body, "metadata", "resourceVersion", NULL), rv);
    int64_t v = 0;
    assert_true(json_int_at(&v, r.body, "spec", "replicas", NULL));
    assert_int_equal(v, 7);
    cJSON_Delete(r.body);
    cJSON_Delete(o);
    o = J("{'metadata':{'name':'np','resourceVersion':'1'},'spec':{'replicas':7}}");
    assert_status(sim_store_update(s, K(SIM_NODEPOOL), "n", "np", o, SIM_SUB_NONE, &dry), 409, "Conflict", NULL);
    cJSON_Delete(o);

    /* the Scale of zero replicas: the answer is the Scale the write would give */
    r = dry_patch(s, SIM_NODEPOOL, "n", "np", SIM_PATCH_MERGE, "{'spec':{'replicas':0}}", SIM_SUB_SCALE);
    assert_int_equal(r.code, 200);
    assert_string_equal(json_str_at(r.body, "kind", NULL), "Scale");
    assert_true(cJSON_IsObject(json_at(r.body, "spec", NULL)));
    assert_null(json_at(r.body, "spec", "replicas", NULL)); /* ScaleSpec.Replicas is omitempty */
    assert_true(json_int_at(&v, r.body, "status", "replicas", NULL));
    assert_int_equal(v, 2);
    assert_string_equal(json_str_at(r.body, "metadata", "resourceVersion", NULL), rv);
    cJSON_Delete(r.body);
    o = J("{'kind':'Scale','apiVersion':'autoscaling/v1','metadata':{'name':'np'},'spec':{'replicas':3}}");
    r = sim_store_update(s, K(SIM_NODEPOOL), "n", "np", o, SIM_SUB_SCALE, &dry);
    assert_int_equal(r.code, 200);
    assert_true(json_int_at(&v, r.body, "spec", "replicas", NULL));
    assert_int_equal(v, 3);
    cJSON_Delete(r.body);
    cJSON_Delete(o);
    assert_untouched(s, SIM_NODEPOOL, "n", "np", &before);
    free(rv);
    sim_store_free(s);
}

static void test_dry_delete(void **state)
{
    (void)state;
    sim_store *s = store_with_pool();
    cJSON *opts = J("{'kind':'DeleteOptions','apiVersion':'v1','dryRun':['All']}");
    /* a custom resource: the Status it would answer, and it stays */
    snapshot np = snap(s, SIM_NODEPOOL, "n", "np");
    sim_reply r = sim_store_delete(s, K(SIM_NODEPOOL), "n", "np", opts);
    assert_int_equal(r.code, 200);
    assert_string_equal(json_str_at(r.body, "status", NULL), "Success");
    assert_string_equal(json_str_at(r.body, "details", "kind", NULL), "nodepools");
    assert_non_null(json_str_at(r.body, "details", "uid", NULL));
    cJSON_Delete(r.body);
    assert_untouched(s, SIM_NODEPOOL, "n", "np", &np);

    /* a scheduled pod: the object marked for graceful deletion, not stored */
    assert_int_equal(create(s, SIM_POD, "n",
                            "{'metadata':{'name':'p'},'spec':{'nodeName':'node-a','containers':[{'name':'c','image':"
                            "'i:1'}]}}"),
                     201);
    snapshot pod = snap(s, SIM_POD, "n", "p");
    r = sim_store_delete(s, K(SIM_POD), "n", "p", opts);
    assert_int_equal(r.code, 200);
    assert_string_equal(json_str_at(r.body, "kind", NULL), "Pod");
    assert_string_equal(json_str_at(r.body, "metadata", "deletionTimestamp", NULL), "2026-07-04T00:00:30Z");
    cJSON_Delete(r.body);
    assert_untouched(s, SIM_POD, "n", "p", &pod);

    /* a PVC (finalizer from admission): marked, not stored; a wrong precondition still fails */
    assert_int_equal(create(s, SIM_PVC, "n", "{'metadata':{'name':'c'},'spec':{}}"), 201);
    snapshot pvc = snap(s, SIM_PVC, "n", "c");
    r = sim_store_delete(s, K(SIM_PVC), "n", "c", opts);
    assert_int_equal(r.code, 200);
    assert_string_equal(json_str_at(r.body, "metadata", "deletionTimestamp", NULL), "2026-07-04T00:00:00Z");
    cJSON_Delete(r.body);
    cJSON_Delete(opts);
    opts = J("{'dryRun':['All'],'preconditions':{'uid':'nope'}}");
    assert_status(sim_store_delete(s, K(SIM_PVC), "n", "c", opts), 409, "Conflict", NULL);
    cJSON_Delete(opts);
    assert_untouched(s, SIM_PVC, "n", "c", &pvc);

    /* a namespace: the object as Terminating, and everything in it stays */
    opts = J("{'dryRun':['All']}");
    r = sim_store_delete(s, K(SIM_NAMESPACE), NULL, "n", opts);
    assert_int_equal(r.code, 200);
    assert_string_equal(json_str_at(r.body, "status", "phase", NULL), "Terminating");
    cJSON_Delete(r.body);
    cJSON_Delete(opts);
    assert_int_equal(sim_store_count(s, K(SIM_NODEPOOL)), 1);
    assert_int_equal(sim_store_count(s, K(SIM_NAMESPACE)), 1);
    sim_store_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dry_create),
        cmocka_unit_test(test_dry_patch_every_type),
        cmocka_unit_test(test_dry_update_and_scale),
        cmocka_unit_test(test_dry_delete),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
