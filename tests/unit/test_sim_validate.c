/* The simulator's HostedCluster/NodePool validation: required fields, enums, the pausedUntil rule,
 * replicas with autoScaling, immutable fields, release image syntax, hostile input; and the same
 * rules reached through the store (422 with causes). */
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
#include "sim/validate.h"
#include "sim/world.h"

static const char *valid_hc =
    "{\"apiVersion\":\"hypershift.openshift.io/v1beta1\",\"kind\":\"HostedCluster\","
    "\"metadata\":{\"name\":\"hc1\",\"namespace\":\"clusters\"},"
    "\"spec\":{\"release\":{\"image\":\"quay.io/openshift-release-dev/ocp-release:4.16.3-multi\"},"
    "\"platform\":{\"type\":\"AWS\"},\"networking\":{\"networkType\":\"OVNKubernetes\"},"
    "\"etcd\":{\"managementType\":\"Managed\",\"managed\":{\"storage\":{\"type\":\"PersistentVolume\"}}},"
    "\"services\":[{\"service\":\"APIServer\",\"servicePublishingStrategy\":{\"type\":\"LoadBalancer\"}},"
    "{\"service\":\"OAuthServer\",\"servicePublishingStrategy\":{\"type\":\"Route\"}},"
    "{\"service\":\"Konnectivity\",\"servicePublishingStrategy\":{\"type\":\"Route\"}},"
    "{\"service\":\"Ignition\",\"servicePublishingStrategy\":{\"type\":\"Route\"}}],"
    "\"pullSecret\":{\"name\":\"ps\"},\"controllerAvailabilityPolicy\":\"HighlyAvailable\"}}";

static const char *valid_np =
    "{\"apiVersion\":\"hypershift.openshift.io/v1beta1\",\"kind\":\"NodePool\","
    "\"metadata\":{\"name\":\"np1\",\"namespace\":\"clusters\"},"
    "\"spec\":{\"clusterName\":\"hc1\",\"replicas\":2,"
    "\"release\":{\"image\":\"quay.io/openshift-release-dev/ocp-release:4.16.3-multi\"},"
    "\"platform\":{\"type\":\"AWS\"},\"management\":{\"upgradeType\":\"Replace\"}}}";

/* Applies a jq-like edit: sets spec.<path> (dot separated) to the JSON value, or deletes it when NULL. */
static cJSON *edited(const char *base, const char *path, const char *value)
{
    cJSON *o = cJSON_Parse(base);
    assert_non_null(o);
    cJSON *cur = o;
    char tmp[256];
    snprintf(tmp, sizeof tmp, "%s", path);
    char *save = NULL, *tok = strtok_r(tmp, ".", &save);
    while (tok) {
        char *next = strtok_r(NULL, ".", &save);
        if (!next) {
            cJSON_DeleteItemFromObjectCaseSensitive(cur, tok);
            if (value) {
                cJSON *v = cJSON_Parse(value);
                assert_non_null(v);
                cJSON_AddItemToObject(cur, tok, v);
            }
        } else {
            cur = json_obj_child(cur, tok);
        }
        tok = next;
    }
    return o;
}

static char msg_buf[4096];

/* The Status message of validating obj (over old), or "" when valid. */
static const char *verdict(sim_kind_id k, cJSON *obj, cJSON *old)
{
    cJSON *st = sim_validate(sim_kind_get(k), obj, old, NULL);
    msg_buf[0] = '\0';
    if (st) {
        int64_t code = 0;
        assert_true(json_int_at(&code, st, "code", NULL));
        assert_int_equal(code, 422);
        assert_string_equal(json_str_at(st, "reason", NULL), "Invalid");
        snprintf(msg_buf, sizeof msg_buf, "%s", json_str_at(st, "message", NULL));
    }
    cJSON_Delete(st);
    cJSON_Delete(obj);
    cJSON_Delete(old);
    return msg_buf;
}

static void test_valid_objects_pass(void **state)
{
    (void)state;
    assert_string_equal(verdict(SIM_HOSTEDCLUSTER, cJSON_Parse(valid_hc), NULL), "");
    assert_string_equal(verdict(SIM_NODEPOOL, cJSON_Parse(valid_np), NULL), "");
    /* kinds without rules here are not this hook's business */
    cJSON *cm = cJSON_Parse(valid_hc);
    assert_null(sim_validate(sim_kind_get(SIM_CONFIGMAP), cm, NULL, NULL));
    cJSON_Delete(cm);
}

/* Pods need containers with names and images, StatefulSets a selector, as kube-apiserver says. */
static void test_pod_and_statefulset_rules(void **state)
{
    (void)state;
    static const char *pod_ok = "{\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}}";
    assert_string_equal(verdict(SIM_POD, cJSON_Parse(pod_ok), NULL), "");
    assert_string_equal(verdict(SIM_POD, cJSON_Parse("{\"metadata\":{\"name\":\"p\"},\"spec\":{}}"), NULL),
                        "Pod \"p\" is invalid: spec.containers: Required value");
    assert_string_equal(verdict(SIM_POD, cJSON_Parse("{\"metadata\":{\"name\":\"p\"}}"), NULL),
                        "Pod \"p\" is invalid: spec.containers: Required value");
    assert_string_equal(verdict(SIM_POD, edited(pod_ok, "spec.containers", "[]"), NULL),
                        "Pod \"p\" is invalid: spec.containers: Required value");
    assert_string_equal(verdict(SIM_POD, edited(pod_ok, "spec.containers", "{\"name\":\"c\"}"), NULL),
                        "Pod \"p\" is invalid: spec.containers: Required value");
    assert_string_equal(verdict(SIM_POD, edited(pod_ok, "spec.containers", "[{\"name\":\"c\",\"image\":\"i\"},{}]"), NULL),
                        "Pod \"p\" is invalid: [spec.containers[1].name: Required value, "
                        "spec.containers[1].image: Required value]");
    assert_string_equal(verdict(SIM_POD, edited(pod_ok, "spec.containers", "[{\"name\":\"\",\"image\":7}]"), NULL),
                        "Pod \"p\" is invalid: [spec.containers[0].name: Required value, "
                        "spec.containers[0].image: Required value]");
    /* a hostile list of empty containers gives a bounded answer */
    buf many = BUF_INIT;
    buf_puts(&many, "[");
    for (int i = 0; i < 5000; i++)
        buf_puts(&many, i ? ",{}" : "{}");
    buf_puts(&many, "]");
    cJSON *hostile = edited(pod_ok, "spec.containers", buf_str(&many));
    cJSON *st = sim_validate(sim_kind_get(SIM_POD), hostile, NULL, NULL);
    cJSON_Delete(hostile);
    buf_free(&many);
    assert_non_null(st);
    assert_true(cJSON_GetArraySize(json_at(st, "details", "causes", NULL)) <= 64);
    cJSON_Delete(st);
}

static void test_statefulset_rules(void **state)
{
    (void)state;
    static const char *sts_ok = "{\"metadata\":{\"name\":\"s\"},\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"a\"}}}}";
    assert_string_equal(verdict(SIM_STATEFULSET, cJSON_Parse(sts_ok), NULL), "");
    assert_string_equal(verdict(SIM_STATEFULSET, edited(sts_ok, "spec.selector", NULL), NULL),
                        "StatefulSet.apps \"s\" is invalid: spec.selector: Required value");
    assert_string_equal(verdict(SIM_STATEFULSET, edited(sts_ok, "spec.selector", "null"), NULL),
                        "StatefulSet.apps \"s\" is invalid: spec.selector: Required value");
    assert_string_equal(verdict(SIM_STATEFULSET, cJSON_Parse("{\"metadata\":{\"name\":\"s\"}}"), NULL),
                        "StatefulSet.apps \"s\" is invalid: spec.selector: Required value");
    assert_non_null(strstr(verdict(SIM_STATEFULSET, edited(sts_ok, "spec.selector", "{}"), NULL),
                           "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
                           "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for "
                           "statefulset"));
    assert_string_equal(verdict(SIM_STATEFULSET,
                                edited(sts_ok, "spec.selector",
                                       "{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"Exists\"}]}"),
                                NULL),
                        "");
}

static void test_hc_required_and_enum_like_the_apiserver(void **state)
{
    (void)state;
    cJSON *o = edited(valid_hc, "spec.platform.type", "\"Bogus\"");
    cJSON_DeleteItemFromObjectCaseSensitive(json_at(o, "spec", NULL), "pullSecret");
    assert_string_equal(verdict(SIM_HOSTEDCLUSTER, o, NULL),
                        "HostedCluster.hypershift.openshift.io \"hc1\" is invalid: [spec.pullSecret: Required value, "
                        "spec.platform.type: Unsupported value: \"Bogus\": supported values: \"AWS\", \"Azure\", "
                        "\"IBMCloud\", \"KubeVirt\", \"Agent\", \"PowerVS\", \"None\"]");
    static const char *req[] = {"release", "platform", "networking", "etcd", "services", "pullSecret"};
    for (size_t i = 0; i < 6; i++) {
        char path[64], want[160];
        snprintf(path, sizeof path, "spec.%s", req[i]);
        snprintf(want, sizeof want, "spec.%s: Required value", req[i]);
        assert_non_null(strstr(verdict(SIM_HOSTEDCLUSTER, edited(valid_hc, path, NULL), NULL), want));
    }
    assert_non_null(strstr(verdict(SIM_HOSTEDCLUSTER, edited(valid_hc, "spec.controllerAvailabilityPolicy", "\"Triple\""),
                                   NULL),
                           "spec.controllerAvailabilityPolicy: Unsupported value: \"Triple\""));
    assert_non_null(strstr(verdict(SIM_HOSTEDCLUSTER, edited(valid_hc, "spec.platform.type", "7"), NULL),
                           "spec.platform.type: Invalid value: \"number\""));
    assert_non_null(strstr(verdict(SIM_HOSTEDCLUSTER, edited(valid_hc, "spec.services", "[]"), NULL),
                           "should have at least 4 items"));
    /* no spec at all, and a spec that is not an object */
    assert_non_null(strstr(verdict(SIM_HOSTEDCLUSTER, edited(valid_hc, "spec", NULL), NULL), "spec: Required value"));
    assert_non_null(strstr(verdict(SIM_HOSTEDCLUSTER, edited(valid_hc, "spec", "\"x\""), NULL), "spec: Required value"));
}

static void test_paused_until_rule(void **state)
{
    (void)state;
    static const char *ok[] = {"\"true\"", "\"False\"", "\"2026-07-04T00:00:00Z\"", "\"2026-07-04T00:00:00junk\""};
    for (size_t i = 0; i < 4; i++)
        assert_string_equal(verdict(SIM_HOSTEDCLUSTER, edited(valid_hc, "spec.pausedUntil", ok[i]), NULL), "");
    static const char *bad[] = {"\"TRUE\"", "\"tomorrow\"", "\"2026-07-04 00:00:00\"", "\"2026-7-4T00:00:00Z\""};
    for (size_t i = 0; i < 4; i++)
        assert_non_null(strstr(verdict(SIM_HOSTEDCLUSTER, edited(valid_hc, "spec.pausedUntil", bad[i]), NULL),
                               "spec.pausedUntil: Invalid value: \"string\": PausedUntil must be a date in RFC3339 "
                               "format or 'True', 'true', 'False' or 'false'"));
    assert_non_null(strstr(verdict(SIM_HOSTEDCLUSTER, edited(valid_hc, "spec.pausedUntil", "\"yes\""), NULL),
                           "at least 4 chars long"));
    assert_non_null(strstr(verdict(SIM_HOSTEDCLUSTER,
                                   edited(valid_hc, "spec.pausedUntil", "\"2026-07-04T00:00:00Z-and-a-long-tail-xx\""),
                                   NULL),
                           "Too long"));
    assert_non_null(strstr(verdict(SIM_NODEPOOL, edited(valid_np, "spec.pausedUntil", "\"soon\""), NULL),
                           "PausedUntil must be a date"));
    assert_non_null(strstr(verdict(SIM_NODEPOOL, edited(valid_np, "spec.pausedUntil", "true"), NULL),
                           "must be of type string"));
}

static void test_release_image_syntax(void **state)
{
    (void)state;
    assert_non_null(strstr(verdict(SIM_HOSTEDCLUSTER, edited(valid_hc, "spec.release.image", "\"\""), NULL),
                           "spec.release.image: Invalid value: \"\": spec.release.image in body should be at least 1 "
                           "chars long"));
    assert_non_null(strstr(verdict(SIM_HOSTEDCLUSTER, edited(valid_hc, "spec.release.image", "\"quay.io/x: 4.16\""),
                                   NULL),
                           "Image must start with a word character (letters, digits, or underscores) and contain no "
                           "white spaces"));
    assert_non_null(strstr(verdict(SIM_NODEPOOL, edited(valid_np, "spec.release.image", "\"/leading-slash\""), NULL),
                           "Image must start with a word character"));
    assert_non_null(strstr(verdict(SIM_NODEPOOL, edited(valid_np, "spec.release.image", NULL), NULL),
                           "spec.release.image: Required value"));
    char big[400];
    memset(big, 'a', sizeof big);
    big[0] = '"';
    big[300] = '"';
    big[301] = '\0';
    assert_non_null(strstr(verdict(SIM_NODEPOOL, edited(valid_np, "spec.release.image", big), NULL), "Too long"));
}

static void test_nodepool_rules(void **state)
{
    (void)state;
    static const char *req[] = {"clusterName", "release", "platform", "management"};
    for (size_t i = 0; i < 4; i++) {
        char path[64], want[160];
        snprintf(path, sizeof path, "spec.%s", req[i]);
        snprintf(want, sizeof want, "spec.%s: Required value", req[i]);
        assert_non_null(strstr(verdict(SIM_NODEPOOL, edited(valid_np, path, NULL), NULL), want));
    }
    assert_string_equal(verdict(SIM_NODEPOOL, edited(valid_np, "spec.autoScaling", "{\"min\":1,\"max\":3}"), NULL),
                        "NodePool.hypershift.openshift.io \"np1\" is invalid: spec: Invalid value: \"object\": Both "
                        "replicas or autoScaling should not be set");
    cJSON *o = edited(valid_np, "spec.autoScaling", "{\"min\":4,\"max\":3}");
    cJSON_DeleteItemFromObjectCaseSensitive(json_at(o, "spec", NULL), "replicas");
    assert_non_null(strstr(verdict(SIM_NODEPOOL, o, NULL),
                           "spec.autoScaling: Invalid value: \"object\": max must be equal or greater than min"));
    o = edited(valid_np, "spec.autoScaling", "{\"min\":0,\"max\":3}");
    cJSON_DeleteItemFromObjectCaseSensitive(json_at(o, "spec", NULL), "replicas");
    assert_string_equal(verdict(SIM_NODEPOOL, o, NULL), ""); /* scale from zero is fine on AWS */
    o = edited(valid_np, "spec.autoScaling", "{\"min\":0,\"max\":3}");
    cJSON_DeleteItemFromObjectCaseSensitive(json_at(o, "spec", NULL), "replicas");
    json_set_str(json_at(o, "spec", "platform", NULL), "type", "KubeVirt");
    assert_non_null(strstr(verdict(SIM_NODEPOOL, o, NULL), "Scale-from-zero"));
    assert_non_null(strstr(verdict(SIM_NODEPOOL, edited(valid_np, "spec.management.upgradeType", "\"Rolling\""), NULL),
                           "spec.management.upgradeType: Unsupported value: \"Rolling\": supported values: "
                           "\"Replace\", \"InPlace\""));
    assert_non_null(strstr(verdict(SIM_NODEPOOL, edited(valid_np, "spec.replicas", "-1"), NULL), "spec.replicas"));
    assert_non_null(strstr(verdict(SIM_NODEPOOL, edited(valid_np, "spec.replicas", "1.5"), NULL), "spec.replicas"));
    assert_non_null(strstr(verdict(SIM_NODEPOOL, edited(valid_np, "spec.clusterName", "\"Bad_Name\""), NULL),
                           "clusterName must consist of lowercase alphanumeric characters"));
}

static void test_immutable_fields(void **state)
{
    (void)state;
    assert_string_equal(verdict(SIM_HOSTEDCLUSTER,
                                edited(valid_hc, "spec.controllerAvailabilityPolicy", "\"SingleReplica\""),
                                cJSON_Parse(valid_hc)),
                        "HostedCluster.hypershift.openshift.io \"hc1\" is invalid: spec.controllerAvailabilityPolicy: "
                        "Invalid value: \"string\": ControllerAvailabilityPolicy is immutable");
    assert_non_null(strstr(verdict(SIM_HOSTEDCLUSTER, edited(valid_hc, "spec.platform.type", "\"KubeVirt\""),
                                   cJSON_Parse(valid_hc)),
                           "spec.platform.type: Invalid value: \"string\": Type is immutable"));
    assert_non_null(strstr(verdict(SIM_NODEPOOL, edited(valid_np, "spec.clusterName", "\"other\""),
                                   cJSON_Parse(valid_np)),
                           "spec.clusterName: Invalid value: \"string\": ClusterName is immutable"));
    assert_non_null(strstr(verdict(SIM_NODEPOOL, edited(valid_np, "spec.management.upgradeType", "\"InPlace\""),
                                   cJSON_Parse(valid_np)),
                           "spec.management.upgradeType: Invalid value: \"string\": UpgradeType is immutable"));
    /* mutable fields may change */
    assert_string_equal(verdict(SIM_NODEPOOL, edited(valid_np, "spec.replicas", "7"), cJSON_Parse(valid_np)), "");
    assert_string_equal(verdict(SIM_HOSTEDCLUSTER,
                                edited(valid_hc, "spec.release.image",
                                       "\"quay.io/openshift-release-dev/ocp-release:4.17.2-multi\""),
                                cJSON_Parse(valid_hc)),
                        "");
}

static void test_hostile_input(void **state)
{
    (void)state;
    /* wrong shapes everywhere must give causes, never a crash */
    static const char *shapes[] = {"[]", "1", "null", "\"s\"", "{\"a\":[]}"};
    static const char *paths[] = {"spec.platform", "spec.release", "spec.management", "spec.autoScaling",
                                  "spec.etcd", "spec.networking"};
    for (size_t p = 0; p < 6; p++)
        for (size_t s = 0; s < 5; s++) {
            cJSON *np = edited(valid_np, paths[p], shapes[s]);
            cJSON *st = sim_validate(sim_kind_get(SIM_NODEPOOL), np, NULL, NULL);
            if (p < 4 && !(p == 3 && s == 2)) /* NodePool fields; a null autoScaling is just absent */
                assert_non_null(st);
            cJSON_Delete(st);
            cJSON_Delete(np);
            cJSON *o = edited(valid_hc, paths[p], shapes[s]);
            st = sim_validate(sim_kind_get(SIM_HOSTEDCLUSTER), o, o, NULL);
            cJSON_Delete(st);
            cJSON_Delete(o);
        }
    cJSON *o = cJSON_Parse("{\"metadata\":{}}");
    assert_string_not_equal(verdict(SIM_NODEPOOL, o, NULL), "");
}

static void test_through_the_store(void **state)
{
    (void)state;
    char err[256];
    sim_world *w = sim_world_new("demo", 1, 0, err, sizeof err);
    assert_non_null(w);
    sim_store *s = sim_world_store(w);
    const char *body = "{\"spec\":{\"replicas\":3,\"autoScaling\":{\"min\":1,\"max\":2}}}";
    sim_reply r = sim_store_patch(s, sim_kind_get(SIM_NODEPOOL), "prod", "prod-east-gpu", SIM_PATCH_MERGE, body,
                                  strlen(body), SIM_SUB_NONE, NULL);
    assert_int_equal(r.code, 422);
    const cJSON *cause = cJSON_GetArrayItem(json_at(r.body, "details", "causes", NULL), 0);
    assert_string_equal(json_str_at(cause, "field", NULL), "spec");
    assert_string_equal(json_str_at(cause, "reason", NULL), "FieldValueInvalid");
    cJSON_Delete(r.body);
    body = "{\"spec\":{\"controllerAvailabilityPolicy\":\"SingleReplica\"}}";
    r = sim_store_patch(s, sim_kind_get(SIM_HOSTEDCLUSTER), "prod", "prod-east", SIM_PATCH_MERGE, body, strlen(body),
                        SIM_SUB_NONE, NULL);
    assert_int_equal(r.code, 422);
    assert_non_null(strstr(json_str_at(r.body, "message", NULL), "ControllerAvailabilityPolicy is immutable"));
    cJSON_Delete(r.body);
    /* core kinds through the store: 422, nothing stored */
    cJSON *pod = cJSON_Parse("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"bare\"},\"spec\":{}}");
    r = sim_store_create(s, sim_kind_get(SIM_POD), "clusters", pod, NULL);
    cJSON_Delete(pod);
    assert_int_equal(r.code, 422);
    assert_string_equal(json_str_at(r.body, "message", NULL), "Pod \"bare\" is invalid: spec.containers: Required value");
    cJSON_Delete(r.body);
    r = sim_store_get(s, sim_kind_get(SIM_POD), "clusters", "bare", SIM_SUB_NONE);
    assert_int_equal(r.code, 404);
    cJSON_Delete(r.body);
    cJSON *sts = cJSON_Parse("{\"apiVersion\":\"apps/v1\",\"kind\":\"StatefulSet\",\"metadata\":{\"name\":\"bare\"},"
                             "\"spec\":{\"replicas\":1}}");
    r = sim_store_create(s, sim_kind_get(SIM_STATEFULSET), "clusters", sts, NULL);
    cJSON_Delete(sts);
    assert_int_equal(r.code, 422);
    const cJSON *c0 = cJSON_GetArrayItem(json_at(r.body, "details", "causes", NULL), 0);
    assert_string_equal(json_str_at(c0, "field", NULL), "spec.selector");
    assert_string_equal(json_str_at(c0, "reason", NULL), "FieldValueRequired");
    cJSON_Delete(r.body);
    /* removing the containers of a pod the simulator made is refused too */
    body = "{\"spec\":{\"containers\":null}}";
    r = sim_store_patch(s, sim_kind_get(SIM_POD), "team-a-etcd-degraded", "etcd-0", SIM_PATCH_MERGE, body, strlen(body),
                        SIM_SUB_NONE, NULL);
    assert_int_equal(r.code, 422);
    cJSON_Delete(r.body);
    /* a valid change still goes through */
    body = "{\"spec\":{\"pausedUntil\":\"true\"}}";
    r = sim_store_patch(s, sim_kind_get(SIM_HOSTEDCLUSTER), "prod", "prod-east", SIM_PATCH_MERGE, body, strlen(body),
                        SIM_SUB_NONE, NULL);
    assert_int_equal(r.code, 200);
    cJSON_Delete(r.body);
    sim_world_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_objects_pass),
        cmocka_unit_test(test_pod_and_statefulset_rules),
        cmocka_unit_test(test_statefulset_rules),
        cmocka_unit_test(test_hc_required_and_enum_like_the_apiserver),
        cmocka_unit_test(test_paused_until_rule),
        cmocka_unit_test(test_release_image_syntax),
        cmocka_unit_test(test_nodepool_rules),
        cmocka_unit_test(test_immutable_fields),
        cmocka_unit_test(test_hostile_input),
        cmocka_unit_test(test_through_the_store),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
