/* Unit tests for client/action*: every builder's exact calls (method, path, content type, body),
 * its oc lines, and its refusals, on the fixtures of tests/fixtures/json. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <string.h>

#include "client/action.h"
#include "common/timeutil.h"
#include "json_fixture.h"

#define HC_PATH "/apis/hypershift.openshift.io/v1beta1/namespaces/clusters/hostedclusters/"
#define NP_PATH "/apis/hypershift.openshift.io/v1beta1/namespaces/clusters/nodepools/"

/* A fixture changed by a JSON merge of extra (RFC 7386 semantics are not needed: objects merge,
 * everything else replaces). */
static void merge_into(cJSON *dst, const cJSON *src)
{
    for (const cJSON *c = src->child; c; c = c->next) {
        cJSON *d = cJSON_GetObjectItemCaseSensitive(dst, c->string);
        if (d && cJSON_IsObject(d) && cJSON_IsObject(c)) {
            merge_into(d, c);
        } else {
            cJSON_DeleteItemFromObjectCaseSensitive(dst, c->string);
            cJSON_AddItemToObject(dst, c->string, cJSON_Duplicate(c, true));
        }
    }
}

static record *fixture_with(res_kind kind, const char *name, const char *extra)
{
    size_t len;
    char *text = read_json_fixture(name, &len);
    cJSON *obj = cJSON_Parse(text);
    free(text);
    assert_non_null(obj);
    if (extra) {
        cJSON *e = cJSON_Parse(extra);
        assert_non_null(e);
        merge_into(obj, e);
        cJSON_Delete(e);
    }
    record *r = decode_object(kind, obj);
    cJSON_Delete(obj);
    assert_non_null(r);
    return r;
}

static void expect_call(const action *a, size_t i, const char *method, const char *path, const char *ct,
                        const char *body, bool rv_from_previous)
{
    assert_true(i < a->n_calls);
    const action_call *c = &a->calls[i];
    assert_string_equal(c->method, method);
    assert_string_equal(c->path, path);
    if (ct)
        assert_string_equal(c->content_type, ct);
    else
        assert_null(c->content_type);
    if (body)
        assert_string_equal(c->body, body);
    assert_int_equal(c->rv_from_previous, rv_from_previous);
    assert_true(c->summary && c->summary[0]);
}

static void expect_note(const action *a, const char *words)
{
    if (!strstr(buf_str(&a->notes), words))
        fail_msg("notes lack \"%s\":\n%s", words, buf_str(&a->notes));
}

static void expect_oc(const action *a, const char *line)
{
    if (!strstr(buf_str(&a->oc), line))
        fail_msg("oc lines lack \"%s\":\n%s", line, buf_str(&a->oc));
}

static void test_paused_until(void **state)
{
    (void)state;
    time_t now;
    assert_true(rfc3339_parse("2026-12-04T20:00:00Z", &now));
    char v[40], err[200];
    assert_int_equal(action_paused_until("", now, v, sizeof v, err, sizeof err), 0);
    assert_string_equal(v, "true");
    assert_int_equal(action_paused_until("true", now, v, sizeof v, err, sizeof err), 0);
    assert_string_equal(v, "true");
    assert_int_equal(action_paused_until("2h", now, v, sizeof v, err, sizeof err), 0);
    assert_string_equal(v, "2026-12-04T22:00:00Z"); /* absolute: another SRE reads the same moment */
    assert_int_equal(action_paused_until("1h30m", now, v, sizeof v, err, sizeof err), 0);
    assert_string_equal(v, "2026-12-04T21:30:00Z");
    assert_int_equal(action_paused_until("2026-12-24T08:00:00Z", now, v, sizeof v, err, sizeof err), 0);
    assert_string_equal(v, "2026-12-24T08:00:00Z");
    assert_int_equal(action_paused_until("2026-12-24T09:00:00+01:00", now, v, sizeof v, err, sizeof err), 0);
    assert_string_equal(v, "2026-12-24T08:00:00Z");
    assert_int_equal(action_paused_until("2026-12-01T00:00:00Z", now, v, sizeof v, err, sizeof err), -1);
    assert_non_null(strstr(err, "not in the future"));
    assert_int_equal(action_paused_until("soon", now, v, sizeof v, err, sizeof err), -1);
    assert_non_null(strstr(err, "neither a duration"));
    assert_int_equal(action_paused_until("0s", now, v, sizeof v, err, sizeof err), -1);
    assert_int_equal(action_paused_until("-2h", now, v, sizeof v, err, sizeof err), -1);
    assert_int_equal(action_paused_until("\x1b[2J", now, v, sizeof v, err, sizeof err), -1);
}

static void test_pause_and_resume(void **state)
{
    (void)state;
    record *hc = load_fixture_record(RES_HOSTEDCLUSTER, "hc_healthy.json");
    record *np = load_fixture_record(RES_NODEPOOL, "np_healthy.json");
    char err[300];
    action a = {0};
    assert_int_equal(action_pause(&a, &hc, 1, NULL, 0, "", 0, err, sizeof err), 0);
    assert_int_equal(a.n_calls, 1);
    expect_call(&a, 0, "PATCH", HC_PATH "prod1", CT_MERGE_PATCH,
                "{\"metadata\":{\"resourceVersion\":\"918273\"},\"spec\":{\"pausedUntil\":\"true\"}}", false);
    assert_string_equal(buf_str(&a.oc),
                        "oc patch hostedcluster/prod1 -n clusters --type=merge -p '{\"spec\":{\"pausedUntil\":\"true\"}}'");
    assert_non_null(strstr(a.title, "clusters/prod1 until resumed"));
    assert_null(a.confirm_name);
    action_free(&a);

    /* with the cluster's pools, one call each; a duration becomes an absolute time */
    time_t now;
    assert_true(rfc3339_parse("2026-12-04T20:00:00Z", &now));
    assert_int_equal(action_pause(&a, &hc, 1, &np, 1, "2h", now, err, sizeof err), 0);
    assert_int_equal(a.n_calls, 2);
    expect_call(&a, 0, "PATCH", HC_PATH "prod1", CT_MERGE_PATCH,
                "{\"metadata\":{\"resourceVersion\":\"918273\"},\"spec\":{\"pausedUntil\":\"2026-12-04T22:00:00Z\"}}",
                false);
    expect_call(&a, 1, "PATCH", NP_PATH "prod1-us-east-1a", CT_MERGE_PATCH,
                "{\"metadata\":{\"resourceVersion\":\"918400\"},\"spec\":{\"pausedUntil\":\"2026-12-04T22:00:00Z\"}}",
                false);
    expect_oc(&a, "oc patch nodepool/prod1-us-east-1a -n clusters --type=merge");
    expect_note(&a, "node pool(s) are paused too");
    action_free(&a);

    assert_int_equal(action_pause(&a, &hc, 1, NULL, 0, "yesterday", now, err, sizeof err), -1);
    assert_int_equal(a.n_calls, 0);
    action_free(&a);

    record *paused = load_fixture_record(RES_HOSTEDCLUSTER, "hc_paused.json");
    assert_int_equal(action_resume(&a, &paused, 1, NULL, 0, err, sizeof err), 0);
    expect_call(&a, 0, "PATCH", HC_PATH "dev.team1", CT_MERGE_PATCH,
                "{\"metadata\":{\"resourceVersion\":\"940000\"},\"spec\":{\"pausedUntil\":null}}", false);
    expect_oc(&a, "-p '{\"spec\":{\"pausedUntil\":null}}'");
    action_free(&a);

    /* marks: several clusters in one action */
    record *two[] = {hc, paused};
    assert_int_equal(action_resume(&a, two, 2, NULL, 0, err, sizeof err), 0);
    assert_int_equal(a.n_calls, 2);
    assert_non_null(strstr(a.title, "2 hosted clusters"));
    action_free(&a);
    assert_int_equal(action_pause(&a, NULL, 0, NULL, 0, "", now, err, sizeof err), -1);
    action_free(&a);
    record_free(paused);
    record_free(np);
    record_free(hc);
}

static void test_scale(void **state)
{
    (void)state;
    record *np = load_fixture_record(RES_NODEPOOL, "np_healthy.json");
    char err[300];
    action a = {0};
    scale_choice zero = {.replicas = 0};
    assert_int_equal(action_scale(&a, &np, 1, &zero, err, sizeof err), 0);
    assert_int_equal(a.n_calls, 2);
    /* the count is remembered on the pool before it is empty, then the scale subresource */
    expect_call(&a, 0, "PATCH", NP_PATH "prod1-us-east-1a", CT_MERGE_PATCH,
                "{\"metadata\":{\"resourceVersion\":\"918400\",\"annotations\":{\"" ANNOTATION_PREVIOUS_REPLICAS
                "\":\"3\"}}}",
                false);
    expect_call(&a, 1, "PUT", NP_PATH "prod1-us-east-1a/scale", CT_JSON,
                "{\"apiVersion\":\"autoscaling/v1\",\"kind\":\"Scale\",\"metadata\":{\"name\":\"prod1-us-east-1a\","
                "\"namespace\":\"clusters\",\"resourceVersion\":\"918400\"},\"spec\":{\"replicas\":0}}",
                true);
    expect_oc(&a, "oc scale nodepool/prod1-us-east-1a -n clusters --replicas=0");
    assert_string_equal(a.confirm_name, "prod1-us-east-1a"); /* a pool with nodes to zero: type its name */
    expect_note(&a, "Drain: nodeDrainTimeout is 10m"); /* the documented choice, offered */
    expect_note(&a, ":scale 0 0s drains without a time limit");
    action_free(&a);

    /* with a drain timeout: in the same first patch */
    scale_choice drain = {.replicas = 0, .drain_timeout = "5m"};
    assert_int_equal(action_scale(&a, &np, 1, &drain, err, sizeof err), 0);
    expect_call(&a, 0, "PATCH", NP_PATH "prod1-us-east-1a", CT_MERGE_PATCH,
                "{\"metadata\":{\"resourceVersion\":\"918400\",\"annotations\":{\"" ANNOTATION_PREVIOUS_REPLICAS
                "\":\"3\"}},\"spec\":{\"nodeDrainTimeout\":\"5m\"}}",
                false);
    expect_note(&a, "nodeDrainTimeout 5m");
    action_free(&a);
    scale_choice nolimit = {.replicas = 0, .drain_timeout = "0s"};
    assert_int_equal(action_scale(&a, &np, 1, &nolimit, err, sizeof err), 0);
    expect_note(&a, "without a time limit");
    action_free(&a);
    scale_choice bad = {.replicas = 0, .drain_timeout = "soon"};
    assert_int_equal(action_scale(&a, &np, 1, &bad, err, sizeof err), -1);
    assert_non_null(strstr(err, "is no duration"));
    action_free(&a);

    /* to any count: one PUT with the store's resourceVersion */
    scale_choice five = {.replicas = 5};
    assert_int_equal(action_scale(&a, &np, 1, &five, err, sizeof err), 0);
    assert_int_equal(a.n_calls, 1);
    expect_call(&a, 0, "PUT", NP_PATH "prod1-us-east-1a/scale", CT_JSON,
                "{\"apiVersion\":\"autoscaling/v1\",\"kind\":\"Scale\",\"metadata\":{\"name\":\"prod1-us-east-1a\","
                "\"namespace\":\"clusters\",\"resourceVersion\":\"918400\"},\"spec\":{\"replicas\":5}}",
                false);
    assert_null(a.confirm_name);
    action_free(&a);
    scale_choice same = {.replicas = 3};
    assert_int_equal(action_scale(&a, &np, 1, &same, err, sizeof err), -1);
    assert_non_null(strstr(err, "already has 3 replicas"));
    action_free(&a);

    /* back: the remembered count, then the annotation goes (after the scale, chained) */
    scale_choice back = {.back = true};
    assert_int_equal(action_scale(&a, &np, 1, &back, err, sizeof err), -1);
    assert_non_null(strstr(err, "no replica count remembered"));
    action_free(&a);
    record *empty = fixture_with(RES_NODEPOOL, "np_healthy.json",
                                 "{\"metadata\":{\"annotations\":{\"" ANNOTATION_PREVIOUS_REPLICAS "\":\"4\"}},"
                                 "\"spec\":{\"replicas\":0},\"status\":{\"replicas\":0}}");
    assert_int_equal(action_scale(&a, &empty, 1, &back, err, sizeof err), 0);
    assert_int_equal(a.n_calls, 2);
    expect_call(&a, 0, "PUT", NP_PATH "prod1-us-east-1a/scale", CT_JSON,
                "{\"apiVersion\":\"autoscaling/v1\",\"kind\":\"Scale\",\"metadata\":{\"name\":\"prod1-us-east-1a\","
                "\"namespace\":\"clusters\",\"resourceVersion\":\"918400\"},\"spec\":{\"replicas\":4}}",
                false);
    expect_call(&a, 1, "PATCH", NP_PATH "prod1-us-east-1a", CT_MERGE_PATCH,
                "{\"metadata\":{\"resourceVersion\":\"918400\",\"annotations\":{\"" ANNOTATION_PREVIOUS_REPLICAS
                "\":null}}}",
                true);
    action_free(&a);
    /* an empty pool to zero has nothing to remember and nobody to drain: just the scale, no name */
    assert_int_equal(action_scale(&a, &empty, 1, &zero, err, sizeof err), -1);
    assert_non_null(strstr(err, "already has 0 replicas"));
    action_free(&a);
    record_free(empty);

    /* an autoscaled pool: refused, or autoscaling off first as a call of its own */
    record *as = load_fixture_record(RES_NODEPOOL, "np_autoscaled.json");
    assert_int_equal(action_scale(&a, &as, 1, &zero, err, sizeof err), -1);
    assert_non_null(strstr(err, "is autoscaled (min 2, max 6)"));
    action_free(&a);
    scale_choice off = {.replicas = 0, .disable_autoscaling = true};
    assert_int_equal(action_scale(&a, &as, 1, &off, err, sizeof err), 0);
    assert_int_equal(a.n_calls, 3);
    expect_call(&a, 0, "PATCH", NP_PATH "prod1-workers", CT_MERGE_PATCH,
                "{\"metadata\":{\"resourceVersion\":\"918500\"},\"spec\":{\"autoScaling\":null,\"replicas\":3}}", false);
    expect_call(&a, 1, "PATCH", NP_PATH "prod1-workers", CT_MERGE_PATCH, NULL, true);
    expect_call(&a, 2, "PUT", NP_PATH "prod1-workers/scale", CT_JSON, NULL, true);
    action_free(&a);

    /* marks: several pools, one word to type for all */
    record *pools[] = {np, as};
    assert_int_equal(action_scale(&a, pools, 2, &off, err, sizeof err), 0);
    assert_string_equal(a.confirm_name, "scale-to-zero");
    assert_non_null(strstr(a.title, "2 node pools"));
    action_free(&a);
    record_free(as);
    record_free(np);
}

static void test_upgrade(void **state)
{
    (void)state;
    record *hc = load_fixture_record(RES_HOSTEDCLUSTER, "hc_healthy.json");
    record *sv = load_fixture_record(RES_SUPPORTED_VERSIONS, "cm_supported_versions.json");
    char err[400];
    action a = {0};
    upgrade_choice to5 = {.target = "4.19.5"};
    assert_int_equal(action_upgrade(&a, hc, sv, &to5, err, sizeof err), 0);
    assert_int_equal(a.n_calls, 1);
    expect_call(&a, 0, "PATCH", HC_PATH "prod1", CT_MERGE_PATCH,
                "{\"metadata\":{\"resourceVersion\":\"918273\"},\"spec\":{\"release\":{\"image\":"
                "\"quay.io/openshift-release-dev/ocp-release@sha256:4f1c\"}}}",
                false);
    expect_note(&a, "Not blocked");
    action_free(&a);

    /* a conditional update: its risks are said */
    upgrade_choice to4 = {.target = "4.19.4"};
    assert_int_equal(action_upgrade(&a, hc, sv, &to4, err, sizeof err), 0);
    expect_note(&a, "NOT RECOMMENDED");
    expect_note(&a, "risk ");
    action_free(&a);

    upgrade_choice nowhere = {.target = "4.99.1"};
    assert_int_equal(action_upgrade(&a, hc, sv, &nowhere, err, sizeof err), -1);
    assert_non_null(strstr(err, "not among clusters/prod1's available or conditional updates"));
    action_free(&a);

    /* images given by hand: downgrade, two minors, outside the supported versions */
    upgrade_choice down = {.target = "quay.io/openshift-release-dev/ocp-release:4.18.3-x86_64"};
    assert_int_equal(action_upgrade(&a, hc, sv, &down, err, sizeof err), 0);
    expect_note(&a, "A DOWNGRADE");
    expect_note(&a, "given by hand");
    action_free(&a);
    upgrade_choice jump = {.target = "quay.io/openshift-release-dev/ocp-release:4.21.1-x86_64"};
    assert_int_equal(action_upgrade(&a, hc, sv, &jump, err, sizeof err), 0);
    expect_note(&a, "Crosses 2 minors");
    action_free(&a);
    upgrade_choice old = {.target = "quay.io/openshift-release-dev/ocp-release:4.12.9-x86_64"};
    assert_int_equal(action_upgrade(&a, hc, sv, &old, err, sizeof err), 0);
    expect_note(&a, "Outside the operator's supported versions");
    action_free(&a);
    upgrade_choice same = {.target = "quay.io/openshift-release-dev/ocp-release:4.19.3-multi"};
    assert_int_equal(action_upgrade(&a, hc, sv, &same, err, sizeof err), -1);
    assert_non_null(strstr(err, "already asks for"));
    action_free(&a);

    /* a minor upgrade behind ClusterVersionUpgradeable=False: blocked unless forced */
    record *blocked = fixture_with(RES_HOSTEDCLUSTER, "hc_blocked.json",
                                   "{\"metadata\":{\"annotations\":{\"" ANNOTATION_FORCE_UPGRADE "\":null}},"
                                   "\"spec\":{\"release\":{\"image\":\"quay.io/x/ocp-release:4.19.5-multi\"}},"
                                   "\"status\":{\"version\":{\"availableUpdates\":[{\"version\":\"4.20.2\","
                                   "\"image\":\"quay.io/x/ocp-release:4.20.2-multi\"}]}}}");
    upgrade_choice minor = {.target = "4.20.2"};
    assert_int_equal(action_upgrade(&a, blocked, sv, &minor, err, sizeof err), 0);
    assert_int_equal(a.n_calls, 1);
    expect_note(&a, "BLOCKED: ClusterVersionUpgradeable=False");
    action_free(&a);
    upgrade_choice forced = {.target = "4.20.2", .force = true};
    assert_int_equal(action_upgrade(&a, blocked, sv, &forced, err, sizeof err), 0);
    assert_int_equal(a.n_calls, 2);
    expect_call(&a, 0, "PATCH", HC_PATH "prod2", CT_MERGE_PATCH,
                "{\"metadata\":{\"resourceVersion\":\"930000\",\"annotations\":{\"" ANNOTATION_FORCE_UPGRADE
                "\":\"quay.io/x/ocp-release:4.20.2-multi\"}}}",
                false);
    expect_call(&a, 1, "PATCH", HC_PATH "prod2", CT_MERGE_PATCH,
                "{\"metadata\":{\"resourceVersion\":\"930000\"},\"spec\":{\"release\":{\"image\":"
                "\"quay.io/x/ocp-release:4.20.2-multi\"}}}",
                true);
    expect_oc(&a, "oc annotate hostedcluster/prod2 -n clusters "
                  "hypershift.openshift.io/force-upgrade-to=quay.io/x/ocp-release:4.20.2-multi --overwrite\n"
                  "oc patch hostedcluster/prod2 -n clusters --type=merge -p "
                  "'{\"spec\":{\"release\":{\"image\":\"quay.io/x/ocp-release:4.20.2-multi\"}}}'");
    expect_note(&a, "forced, the annotation lifts that gate");
    assert_non_null(strstr(a.title, "(forced)"));
    action_free(&a);
    /* forcing a z-stream changes nothing: said so */
    upgrade_choice z = {.target = "quay.io/x/ocp-release:4.19.6-multi", .force = true};
    assert_int_equal(action_upgrade(&a, blocked, sv, &z, err, sizeof err), 0);
    expect_note(&a, "a z-stream upgrade passes that gate: forcing changes nothing");
    action_free(&a);
    record_free(blocked);
    record_free(sv);
    record_free(hc);
}

static void test_upgrade_pool(void **state)
{
    (void)state;
    record *hc = load_fixture_record(RES_HOSTEDCLUSTER, "hc_healthy.json");
    record *np = fixture_with(RES_NODEPOOL, "np_healthy.json",
                              "{\"spec\":{\"release\":{\"image\":\"quay.io/x/ocp-release:4.18.9-multi\"}}}");
    char err[400];
    action a = {0};
    /* no target: the control plane's release */
    assert_int_equal(action_upgrade_pool(&a, np, hc, NULL, "10m", err, sizeof err), 0);
    assert_int_equal(a.n_calls, 1);
    expect_call(&a, 0, "PATCH", NP_PATH "prod1-us-east-1a", CT_MERGE_PATCH,
                "{\"metadata\":{\"resourceVersion\":\"918400\"},\"spec\":{\"release\":{\"image\":"
                "\"quay.io/openshift-release-dev/ocp-release:4.19.3-multi\"},\"nodeDrainTimeout\":\"10m\"}}",
                false);
    action_free(&a);
    /* a version the cluster has run */
    assert_int_equal(action_upgrade_pool(&a, np, hc, "4.19.3", NULL, err, sizeof err), 0);
    expect_call(&a, 0, "PATCH", NP_PATH "prod1-us-east-1a", CT_MERGE_PATCH,
                "{\"metadata\":{\"resourceVersion\":\"918400\"},\"spec\":{\"release\":{\"image\":"
                "\"quay.io/openshift-release-dev/ocp-release:4.19.3-multi\"}}}",
                false);
    action_free(&a);
    /* never ahead of the control plane */
    assert_int_equal(action_upgrade_pool(&a, np, hc, "quay.io/x/ocp-release:4.20.1-x86_64", NULL, err, sizeof err),
                     -1);
    assert_non_null(strstr(err, "4.20 is newer than the control plane's 4.19"));
    action_free(&a);
    assert_int_equal(action_upgrade_pool(&a, np, hc, "4.17.1", NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "give a release image"));
    action_free(&a);
    assert_int_equal(action_upgrade_pool(&a, np, NULL, NULL, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "not in the store"));
    action_free(&a);
    record_free(np);
    record_free(hc);
}

static void test_channel(void **state)
{
    (void)state;
    record *hc = load_fixture_record(RES_HOSTEDCLUSTER, "hc_healthy.json");
    char err[300];
    action a = {0};
    assert_int_equal(action_channel(&a, hc, "fast-4.19", err, sizeof err), 0);
    expect_call(&a, 0, "PATCH", HC_PATH "prod1", CT_MERGE_PATCH,
                "{\"metadata\":{\"resourceVersion\":\"918273\"},\"spec\":{\"channel\":\"fast-4.19\"}}", false);
    expect_oc(&a, "oc patch hostedcluster/prod1 -n clusters --type=merge -p '{\"spec\":{\"channel\":\"fast-4.19\"}}'");
    action_free(&a);
    assert_int_equal(action_channel(&a, hc, "candidate-4.19", err, sizeof err), 0);
    action_free(&a);
    assert_int_equal(action_channel(&a, hc, "eus-4.19", err, sizeof err), -1);
    assert_non_null(strstr(err, "even minors"));
    assert_int_equal(action_channel(&a, hc, "fast-4.20", err, sizeof err), -1);
    assert_non_null(strstr(err, "its channels are for 4.19"));
    assert_int_equal(action_channel(&a, hc, "beta-4.19", err, sizeof err), -1);
    assert_non_null(strstr(err, "channels are stable-4.19, fast-4.19, candidate-4.19, not"));
    assert_int_equal(action_channel(&a, hc, "stable-4.19", err, sizeof err), -1);
    assert_non_null(strstr(err, "already on stable-4.19"));
    assert_int_equal(action_channel(&a, hc, "", err, sizeof err), -1);
    assert_int_equal(a.n_calls, 0);
    record *even = fixture_with(RES_HOSTEDCLUSTER, "hc_healthy.json",
                                "{\"status\":{\"version\":{\"history\":[{\"state\":\"Completed\",\"version\":"
                                "\"4.18.2\",\"image\":\"x\",\"startedTime\":\"2026-01-01T00:00:00Z\","
                                "\"completionTime\":\"2026-01-01T01:00:00Z\",\"verified\":true}]}}}");
    assert_int_equal(action_channel(&a, even, "eus-4.18", err, sizeof err), 0);
    action_free(&a);
    record_free(even);
    record_free(hc);
}

static void test_recover_etcd(void **state)
{
    (void)state;
    record *bad = load_fixture_record(RES_ETCD_POD, "pod_etcd_crashloop.json");
    record *ok0 = load_fixture_record(RES_ETCD_POD, "pod_etcd_running.json");
    record *ok2 = fixture_with(RES_ETCD_POD, "pod_etcd_running.json",
                               "{\"metadata\":{\"name\":\"etcd-2\",\"uid\":\"22222222-0000-4000-8000-000000000002\"}}");
    char err[400];
    action a = {0};
    record *pods[] = {ok0, bad, ok2};
    assert_int_equal(action_recover_etcd(&a, bad, pods, 3, NULL, err, sizeof err), 0);
    assert_int_equal(a.n_calls, 2);
    expect_call(&a, 0, "DELETE", "/api/v1/namespaces/clusters-prod1/persistentvolumeclaims/data-etcd-1", CT_JSON,
                "{\"apiVersion\":\"v1\",\"kind\":\"DeleteOptions\",\"propagationPolicy\":\"Background\"}", false);
    expect_call(&a, 1, "DELETE", "/api/v1/namespaces/clusters-prod1/pods/etcd-1", CT_JSON, NULL, false);
    expect_oc(&a, "oc delete pvc/data-etcd-1 -n clusters-prod1 --wait=false\n"
                  "oc delete pod/etcd-1 -n clusters-prod1 --wait=false");
    assert_string_equal(a.confirm_name, "etcd-1");
    action_free(&a);

    /* the pod's uid is a precondition: never a successor of the same name */
    record *bad_uid = fixture_with(RES_ETCD_POD, "pod_etcd_crashloop.json",
                                   "{\"metadata\":{\"uid\":\"11111111-0000-4000-8000-000000000001\"}}");
    record *pods2[] = {ok0, bad_uid, ok2};
    assert_int_equal(action_recover_etcd(&a, bad_uid, pods2, 3, NULL, err, sizeof err), 0);
    expect_call(&a, 1, "DELETE", "/api/v1/namespaces/clusters-prod1/pods/etcd-1", CT_JSON,
                "{\"apiVersion\":\"v1\",\"kind\":\"DeleteOptions\",\"preconditions\":{\"uid\":"
                "\"11111111-0000-4000-8000-000000000001\"},\"propagationPolicy\":\"Background\"}",
                false);
    action_free(&a);

    /* refusals: a healthy member; the others without quorum; a single member */
    assert_int_equal(action_recover_etcd(&a, ok0, pods, 3, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "is healthy"));
    record *bad2 = fixture_with(RES_ETCD_POD, "pod_etcd_crashloop.json", "{\"metadata\":{\"name\":\"etcd-2\"}}");
    record *lost[] = {ok0, bad, bad2};
    assert_int_equal(action_recover_etcd(&a, bad, lost, 3, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "do not hold quorum without etcd-1 (1 of 3 healthy, 2 needed)"));
    record *alone[] = {bad};
    assert_int_equal(action_recover_etcd(&a, bad, alone, 1, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "only member"));
    assert_int_equal(a.n_calls, 0);
    action_free(&a);
    record_free(bad2);
    record_free(bad_uid);
    record_free(ok2);
    record_free(ok0);
    record_free(bad);
}

static void test_shell_quote(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    action_shell_quote(&b, "plain-word_1.2:x=y");
    assert_string_equal(buf_str(&b), "plain-word_1.2:x=y");
    buf_reset(&b);
    action_shell_quote(&b, "it's $(rm -rf /)");
    assert_string_equal(buf_str(&b), "'it'\\''s $(rm -rf /)'");
    buf_reset(&b);
    action_shell_quote(&b, "");
    assert_string_equal(buf_str(&b), "''");
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paused_until), cmocka_unit_test(test_pause_and_resume), cmocka_unit_test(test_scale),
        cmocka_unit_test(test_upgrade),      cmocka_unit_test(test_upgrade_pool),     cmocka_unit_test(test_channel),
        cmocka_unit_test(test_recover_etcd), cmocka_unit_test(test_shell_quote),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
