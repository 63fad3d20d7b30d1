/* Deletions in the simulated world, as the console's actions make them: a pod deleted as kubectl does
 * (an empty DeleteOptions) lingers with its grace period until the kubelet confirms; a PVC being
 * deleted stays while a pod uses it (pkg/controller/volume/pvcprotection podUsesPVC); and an etcd
 * member whose PVC and then pod were deleted (--wait=false) comes back: both go, the StatefulSet
 * controller makes the claim and the pod again, and the member turns healthy. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/jsonutil.h"
#include "sim/world.h"

#define NS "team-a-etcd-degraded" /* the demo's cluster whose etcd-1 crash-loops on a corrupt claim */

static sim_world *world;

static int setup(void **state)
{
    (void)state;
    char err[256] = "";
    world = sim_world_new("demo", 1, 0, err, sizeof err);
    return world ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    sim_world_free(world);
    return 0;
}

/* The stored object, or NULL when it is gone. */
static cJSON *lookup(sim_kind_id k, const char *name)
{
    sim_reply r = sim_store_get(sim_world_store(world), sim_kind_get(k), NS, name, SIM_SUB_NONE);
    if (r.code == 200)
        return r.body;
    cJSON_Delete(r.body);
    return NULL;
}

static bool terminating(sim_kind_id k, const char *name)
{
    cJSON *o = lookup(k, name);
    bool t = o && json_str_at(o, "metadata", "deletionTimestamp", NULL);
    cJSON_Delete(o);
    return t;
}

static char *uid_of(sim_kind_id k, const char *name)
{
    cJSON *o = lookup(k, name);
    assert_non_null(o);
    char *uid = xstrdup(json_str_at(o, "metadata", "uid", NULL));
    cJSON_Delete(o);
    return uid;
}

/* DELETE as kubectl sends it: a DeleteOptions with only propagationPolicy (no grace period). */
static void kubectl_delete(sim_kind_id k, const char *name)
{
    cJSON *opts = cJSON_Parse("{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"propagationPolicy\":\"Background\"}");
    sim_reply r = sim_store_delete(sim_world_store(world), sim_kind_get(k), NS, name, opts);
    assert_int_equal(r.code, 200);
    cJSON_Delete(r.body);
    cJSON_Delete(opts);
}

static int64_t ready_members(void)
{
    cJSON *sts = lookup(SIM_STATEFULSET, "etcd");
    int64_t n = -1;
    json_int_at(&n, sts, "status", "readyReplicas", NULL);
    cJSON_Delete(sts);
    return n;
}

static void test_recover_member_as_the_console_does(void **state)
{
    (void)state;
    sim_world_tick(world, 3);
    assert_true(ready_members() < 3);
    char *old_pod = uid_of(SIM_POD, "etcd-1"), *old_pvc = uid_of(SIM_PVC, "data-etcd-1");

    kubectl_delete(SIM_PVC, "data-etcd-1");
    sim_world_tick(world, 2);
    assert_true(terminating(SIM_PVC, "data-etcd-1")); /* the pod still uses it */
    kubectl_delete(SIM_POD, "etcd-1");
    cJSON *pod = lookup(SIM_POD, "etcd-1");
    int64_t grace = -1;
    json_int_at(&grace, pod, "metadata", "deletionGracePeriodSeconds", NULL);
    assert_int_equal(grace, 30); /* the StatefulSet's pods have no period of their own: the default */
    cJSON_Delete(pod);

    /* the kubelet takes the grace period (a tick is a second): both linger until then */
    sim_world_tick(world, 29);
    assert_true(terminating(SIM_POD, "etcd-1"));
    assert_true(terminating(SIM_PVC, "data-etcd-1"));

    /* then the pod goes, the claim with it, and both are made again */
    int ticks = 0;
    while (ready_members() < 3 && ticks < 12) {
        sim_world_tick(world, 1);
        ticks++;
    }
    assert_int_equal(ready_members(), 3);
    char *new_pod = uid_of(SIM_POD, "etcd-1"), *new_pvc = uid_of(SIM_PVC, "data-etcd-1");
    assert_string_not_equal(new_pod, old_pod);
    assert_string_not_equal(new_pvc, old_pvc);
    assert_false(terminating(SIM_POD, "etcd-1"));
    free(old_pod);
    free(old_pvc);
    free(new_pod);
    free(new_pvc);
}

/* A healthy member's pod deleted: its containers stop at once (one ready member fewer), the pod
 * lingers for its grace period, then comes back and the member is ready again. */
static void test_deleted_member_stops_then_returns(void **state)
{
    (void)state;
    sim_world_tick(world, 3);
    int64_t before = ready_members(); /* etcd-1 crash-loops: 2 */
    assert_int_equal(before, 2);
    kubectl_delete(SIM_POD, "etcd-2");
    sim_world_tick(world, 1);
    assert_int_equal(ready_members(), before - 1);
    cJSON *pod = lookup(SIM_POD, "etcd-2");
    const cJSON *cs = cJSON_GetArrayItem(json_at(pod, "status", "containerStatuses", NULL), 0);
    assert_string_equal(json_str_at(cs, "state", "terminated", "reason", NULL), "Completed");
    assert_true(cJSON_IsFalse(json_at(cs, "ready", NULL)));
    assert_non_null(json_str_at(pod, "metadata", "deletionTimestamp", NULL));
    cJSON_Delete(pod);
    sim_world_tick(world, 30);
    int ticks = 0;
    while (ready_members() < before && ticks++ < 10)
        sim_world_tick(world, 1);
    assert_int_equal(ready_members(), before);
    assert_false(terminating(SIM_POD, "etcd-2"));
}

static void test_pod_force_deleted_is_gone_at_once(void **state)
{
    (void)state;
    char *old = uid_of(SIM_POD, "etcd-0");
    cJSON *opts = cJSON_Parse("{\"gracePeriodSeconds\":0}"); /* kubectl --grace-period=0 --force */
    sim_reply r = sim_store_delete(sim_world_store(world), sim_kind_get(SIM_POD), NS, "etcd-0", opts);
    assert_int_equal(r.code, 200);
    cJSON_Delete(r.body);
    cJSON_Delete(opts);
    assert_null(lookup(SIM_POD, "etcd-0"));
    sim_world_tick(world, 1); /* the StatefulSet makes it again */
    char *now = uid_of(SIM_POD, "etcd-0");
    assert_string_not_equal(now, old);
    free(old);
    free(now);
}

static void test_claim_without_users_goes_on_next_tick(void **state)
{
    (void)state;
    sim_store *s = sim_world_store(world);
    cJSON *pvc = cJSON_Parse("{\"metadata\":{\"name\":\"scratch\"},\"spec\":{\"accessModes\":[\"ReadWriteOnce\"]}}");
    sim_reply r = sim_store_create(s, sim_kind_get(SIM_PVC), NS, pvc, NULL);
    assert_int_equal(r.code, 201);
    cJSON_Delete(r.body);
    cJSON_Delete(pvc);
    kubectl_delete(SIM_PVC, "scratch");
    assert_true(terminating(SIM_PVC, "scratch"));
    sim_world_tick(world, 1);
    assert_null(lookup(SIM_PVC, "scratch"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_recover_member_as_the_console_does, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pod_force_deleted_is_gone_at_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deleted_member_stops_then_returns, setup, teardown),
        cmocka_unit_test_setup_teardown(test_claim_without_users_goes_on_next_tick, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
