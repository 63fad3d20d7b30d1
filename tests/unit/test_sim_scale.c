/* The scale subresource of a NodePool as apiextensions-apiserver serves it
 * (pkg/registry/customresource/etcd.go ScaleREST, scaleFromCustomResource): a Scale of zero replicas
 * (autoscaling/v1 ScaleSpec.Replicas is omitempty, ScaleStatus.Replicas is not), a write that leaves
 * replicas out (0), a negative count (ValidateScale's 422 on Scale.autoscaling), and an autoscaled pool,
 * whose Scale reads spec {} and whose Scale writes fail the CRD's CEL rule like any update. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "sim/validate.h"
#include "tests/unit/sim_store_fixture.h"

static sim_store *validating_store(void)
{
    sim_store_opts o = {0};
    o.now = fixed_clock;
    o.validate = sim_validate;
    sim_store *s = sim_store_new(&o);
    mkns(s, "n");
    return s;
}

static char *scale_text(sim_store *s, const char *name)
{
    sim_reply r = sim_store_get(s, K(SIM_NODEPOOL), "n", name, SIM_SUB_SCALE);
    assert_int_equal(r.code, 200);
    cJSON *drop = cJSON_DetachItemFromObjectCaseSensitive(r.body, "metadata");
    cJSON_Delete(drop);
    char *t = cJSON_PrintUnformatted(r.body);
    cJSON_Delete(r.body);
    return t;
}

#define POOL                                                                                                      \
    "{'metadata':{'name':'%s'},'spec':{'clusterName':'hc','release':{'image':'quay.io/openshift-release-dev/"     \
    "ocp-release:4.17.9-multi'},'platform':{'type':'AWS'},'management':{'upgradeType':'Replace'},%s}}"

static void mkpool(sim_store *s, const char *name, const char *sizing)
{
    createf(s, SIM_NODEPOOL, "n", POOL, name, sizing);
}

static void test_scale_of_zero(void **state)
{
    (void)state;
    sim_store *s = validating_store();
    mkpool(s, "np", "'replicas':2");
    sim_reply r = patch(s, SIM_NODEPOOL, "n", "np", SIM_PATCH_MERGE, "{'spec':{'replicas':0}}", SIM_SUB_SCALE);
    assert_int_equal(r.code, 200);
    cJSON_Delete(r.body);
    char *t = scale_text(s, "np");
    assert_string_equal(t, "{\"kind\":\"Scale\",\"apiVersion\":\"autoscaling/v1\",\"spec\":{},\"status\":{\"replicas\":0}}");
    free(t);
    assert_int_equal(get_int(s, SIM_NODEPOOL, "n", "np", "spec", "replicas"), 0);
    /* a Scale PUT without spec.replicas means 0; a negative count is the Scale's own 422 */
    r = patch(s, SIM_NODEPOOL, "n", "np", SIM_PATCH_MERGE, "{'spec':{'replicas':3}}", SIM_SUB_SCALE);
    cJSON_Delete(r.body);
    assert_int_equal(update_code(s, SIM_NODEPOOL, "n", "np",
                                 "{'kind':'Scale','apiVersion':'autoscaling/v1','metadata':{'name':'np'},'spec':{}}",
                                 SIM_SUB_SCALE),
                     200);
    assert_int_equal(get_int(s, SIM_NODEPOOL, "n", "np", "spec", "replicas"), 0);
    /* a Scale carrying a stale resourceVersion: the scaled object's 409 */
    cJSON *sc = J("{'kind':'Scale','metadata':{'name':'np','resourceVersion':'1'},'spec':{'replicas':4}}");
    assert_status(sim_store_update(s, K(SIM_NODEPOOL), "n", "np", sc, SIM_SUB_SCALE, NULL), 409, "Conflict",
        "Operation cannot be fulfilled on nodepools.hypershift.openshift.io \"np\": the object has been modified; "
        "please apply your changes to the latest version and try again");
    cJSON_Delete(sc);
    r = patch(s, SIM_NODEPOOL, "n", "np", SIM_PATCH_MERGE, "{'spec':{'replicas':-1}}", SIM_SUB_SCALE);
    assert_status(r, 422, "Invalid",
                  "Scale.autoscaling \"np\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0");
    sim_store_free(s);
}

static void test_scale_of_autoscaled_pool(void **state)
{
    (void)state;
    sim_store *s = validating_store();
    mkpool(s, "auto", "'autoScaling':{'min':2,'max':6}");
    char *t = scale_text(s, "auto");
    assert_string_equal(t, "{\"kind\":\"Scale\",\"apiVersion\":\"autoscaling/v1\",\"spec\":{},\"status\":{\"replicas\":0}}");
    free(t);
    /* writing replicas through the Scale puts spec.replicas beside autoScaling: the CRD's rule refuses */
    static const char *const want =
        "NodePool.hypershift.openshift.io \"auto\" is invalid: spec: Invalid value: \"object\": Both replicas or "
        "autoScaling should not be set";
    sim_reply r = patch(s, SIM_NODEPOOL, "n", "auto", SIM_PATCH_MERGE, "{'spec':{'replicas':5}}", SIM_SUB_SCALE);
    assert_string_equal(json_str_at(r.body, "details", "kind", NULL), "NodePool");
    assert_string_equal(json_str_at(r.body, "details", "name", NULL), "auto");
    assert_string_equal(json_str_at(cJSON_GetArrayItem(json_at(r.body, "details", "causes", NULL), 0), "field", NULL),
                        "spec");
    assert_status(r, 422, "Invalid", want);
    const sim_write_opts dry = {.dry_run = true};
    cJSON *sc = J("{'kind':'Scale','apiVersion':'autoscaling/v1','metadata':{'name':'auto'},'spec':{'replicas':0}}");
    assert_status(sim_store_update(s, K(SIM_NODEPOOL), "n", "auto", sc, SIM_SUB_SCALE, &dry), 422, "Invalid", want);
    cJSON_Delete(sc);
    assert_int_equal(get_int(s, SIM_NODEPOOL, "n", "auto", "spec", "replicas"), -1); /* never written */
    sim_store_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scale_of_zero),
        cmocka_unit_test(test_scale_of_autoscaled_pool),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
