/* The simulator's world driven directly: manual ticks (tick_ms 0) and the store API, no HTTP.
 * Covers pause/resume, upgrades and their gates, node pool convergence and version rules, the update
 * graph, etcd crash loops and recovery, events, pod logs and fleet determinism. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/jsonutil.h"
#include "common/timeutil.h"
#include "sim/controllers.h"
#include "sim/ctl_objects.h"
#include "sim/fleet.h"
#include "sim/releases.h"
#include "sim/world.h"

#define IMG(v) "quay.io/openshift-release-dev/ocp-release:" v "-multi"

static sim_world *demo(void)
{
    char err[256] = "";
    sim_world *w = sim_world_new("demo", 1, 0, err, sizeof err);
    assert_non_null(w);
    return w;
}

static cJSON *get(sim_world *w, sim_kind_id k, const char *ns, const char *name)
{
    sim_reply r = sim_store_get(sim_world_store(w), sim_kind_get(k), ns, name, SIM_SUB_NONE);
    if (r.code != 200) {
        cJSON_Delete(r.body);
        return NULL;
    }
    return r.body;
}

static void patch(sim_world *w, sim_kind_id k, const char *ns, const char *name, const char *body)
{
    sim_reply r = sim_store_patch(sim_world_store(w), sim_kind_get(k), ns, name, SIM_PATCH_MERGE, body, strlen(body),
                                  SIM_SUB_NONE, NULL);
    if (r.code != 200) {
        char *s = cJSON_PrintUnformatted(r.body);
        fprintf(stderr, "patch %s/%s %s -> %d %s\n", ns, name, body, r.code, s);
        free(s);
    }
    assert_int_equal(r.code, 200);
    cJSON_Delete(r.body);
}

static void del(sim_world *w, sim_kind_id k, const char *ns, const char *name)
{
    sim_reply r = sim_store_delete(sim_world_store(w), sim_kind_get(k), ns, name, NULL);
    assert_true(r.code == 200 || r.code == 202);
    cJSON_Delete(r.body);
}

/* A copy of one field of a condition ("status", "reason", "message") of an object. */
static char cond_buf[4][1024];
static int cond_slot;
static const char *cond(sim_world *w, sim_kind_id k, const char *ns, const char *name, const char *type,
                        const char *field)
{
    cJSON *o = get(w, k, ns, name);
    const char *v = NULL;
    const cJSON *c;
    cJSON_ArrayForEach(c, json_at(o, "status", "conditions", NULL))
    {
        const char *t = json_str_at(c, "type", NULL);
        if (t && strcmp(t, type) == 0)
            v = json_str_at(c, field, NULL);
    }
    char *out = cond_buf[cond_slot++ % 4];
    snprintf(out, sizeof cond_buf[0], "%s", v ? v : "<none>");
    cJSON_Delete(o);
    return out;
}

#define HC_COND(w, ns, n, t, f) cond(w, SIM_HOSTEDCLUSTER, ns, n, t, f)
#define NP_COND(w, ns, n, t, f) cond(w, SIM_NODEPOOL, ns, n, t, f)

static int64_t np_replicas(sim_world *w, const char *ns, const char *name)
{
    cJSON *o = get(w, SIM_NODEPOOL, ns, name);
    int64_t r = -1;
    json_int_at(&r, o, "status", "replicas", NULL);
    cJSON_Delete(o);
    return r;
}

static char hist_buf[512];
/* "4.16.15:Partial:-,4.16.8:Completed:T" (T = completionTime set, - = null) */
static const char *history(sim_world *w, const char *ns, const char *name, const char *which)
{
    cJSON *o = get(w, SIM_HOSTEDCLUSTER, ns, name);
    hist_buf[0] = '\0';
    const cJSON *e;
    cJSON_ArrayForEach(e, json_at(o, "status", which, "history", NULL))
    {
        size_t n = strlen(hist_buf);
        snprintf(hist_buf + n, sizeof hist_buf - n, "%s%s:%s:%s", n ? "," : "", json_str_at(e, "version", NULL),
                 json_str_at(e, "state", NULL), json_str_at(e, "completionTime", NULL) ? "T" : "-");
    }
    cJSON_Delete(o);
    return hist_buf;
}

static void test_zstream_upgrade_partial_then_completed(void **state)
{
    (void)state;
    sim_world *w = demo();
    assert_string_equal(history(w, "prod", "prod-west", "version"), "4.16.8:Completed:T,4.15.30:Completed:T");
    patch(w, SIM_HOSTEDCLUSTER, "prod", "prod-west", "{\"spec\":{\"release\":{\"image\":\"" IMG("4.16.20") "\"}}}");
    sim_world_tick(w, 1);
    assert_string_equal(history(w, "prod", "prod-west", "version"),
                        "4.16.20:Partial:-,4.16.8:Completed:T,4.15.30:Completed:T");
    /* the previous entry's completionTime is the new entry's start */
    cJSON *hc = get(w, SIM_HOSTEDCLUSTER, "prod", "prod-west");
    const cJSON *h0 = cJSON_GetArrayItem(json_at(hc, "status", "version", "history", NULL), 0);
    const cJSON *h1 = cJSON_GetArrayItem(json_at(hc, "status", "version", "history", NULL), 1);
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(h0, "completionTime")));
    assert_string_equal(json_str_at(h1, "completionTime", NULL), json_str_at(h0, "startedTime", NULL));
    assert_string_equal(json_str_at(hc, "status", "version", "desired", "version", NULL), "4.16.20");
    cJSON_Delete(hc);
    assert_string_equal(HC_COND(w, "prod", "prod-west", "Progressing", "status"), "True");
    assert_string_equal(HC_COND(w, "prod", "prod-west", "ClusterVersionProgressing", "message"),
                        "Working towards 4.16.20: 0 of 905 done (0% complete)");
    sim_world_tick(w, SIM_CP_UPGRADE_TICKS);
    /* the control plane finishes first */
    assert_string_equal(history(w, "prod", "prod-west", "controlPlaneVersion"),
                        "4.16.20:Completed:T,4.16.8:Completed:T,4.15.30:Completed:T");
    assert_string_equal(history(w, "prod", "prod-west", "version"),
                        "4.16.20:Partial:-,4.16.8:Completed:T,4.15.30:Completed:T");
    sim_world_tick(w, SIM_UPGRADE_TICKS - SIM_CP_UPGRADE_TICKS);
    assert_string_equal(history(w, "prod", "prod-west", "version"),
                        "4.16.20:Completed:T,4.16.8:Completed:T,4.15.30:Completed:T");
    assert_string_equal(HC_COND(w, "prod", "prod-west", "Progressing", "status"), "False");
    assert_string_equal(HC_COND(w, "prod", "prod-west", "Progressing", "reason"), "AsExpected");
    assert_string_equal(HC_COND(w, "prod", "prod-west", "ClusterVersionProgressing", "message"),
                        "Cluster version is 4.16.20");
    /* the HostedControlPlane mirrors the release */
    cJSON *hcp = get(w, SIM_HOSTEDCONTROLPLANE, "prod-prod-west", "prod-west");
    assert_string_equal(json_str_at(hcp, "spec", "releaseImage", NULL), IMG("4.16.20"));
    cJSON_Delete(hcp);
    sim_world_free(w);
}

static void test_pause_stops_and_resume_restarts_upgrade(void **state)
{
    (void)state;
    sim_world *w = demo();
    patch(w, SIM_HOSTEDCLUSTER, "prod", "prod-west", "{\"spec\":{\"release\":{\"image\":\"" IMG("4.16.20") "\"}}}");
    sim_world_tick(w, 2);
    const char *before = HC_COND(w, "prod", "prod-west", "ClusterVersionProgressing", "message");
    char saved[256];
    snprintf(saved, sizeof saved, "%s", before);
    patch(w, SIM_HOSTEDCLUSTER, "prod", "prod-west", "{\"spec\":{\"pausedUntil\":\"true\"}}");
    patch(w, SIM_NODEPOOL, "prod", "prod-west-us-west-2a", "{\"spec\":{\"replicas\":6}}");
    sim_world_tick(w, SIM_UPGRADE_TICKS + 2);
    assert_string_equal(HC_COND(w, "prod", "prod-west", "ClusterVersionProgressing", "message"), saved);
    assert_string_equal(HC_COND(w, "prod", "prod-west", "ReconciliationActive", "status"), "False");
    assert_string_equal(HC_COND(w, "prod", "prod-west", "ReconciliationActive", "reason"), "ReconciliationPaused");
    assert_string_equal(HC_COND(w, "prod", "prod-west", "ReconciliationActive", "message"),
                        "Reconciliation paused until field removed");
    assert_string_equal(HC_COND(w, "prod", "prod-west", "Progressing", "reason"), "Blocked");
    assert_string_equal(HC_COND(w, "prod", "prod-west", "Progressing", "message"),
                        "ReconciliationActive condition is false: Reconciliation paused until field removed");
    assert_string_equal(history(w, "prod", "prod-west", "version"),
                        "4.16.20:Partial:-,4.16.8:Completed:T,4.15.30:Completed:T");
    /* the cluster's pools are frozen too, and the pause reaches the HostedControlPlane */
    assert_int_equal(np_replicas(w, "prod", "prod-west-us-west-2a"), 4);
    assert_string_equal(NP_COND(w, "prod", "prod-west-us-west-2a", "ReconciliationActive", "status"), "False");
    cJSON *hcp = get(w, SIM_HOSTEDCONTROLPLANE, "prod-prod-west", "prod-west");
    assert_string_equal(json_str_at(hcp, "spec", "pausedUntil", NULL), "true");
    cJSON_Delete(hcp);

    patch(w, SIM_HOSTEDCLUSTER, "prod", "prod-west", "{\"spec\":{\"pausedUntil\":null}}");
    sim_world_tick(w, 1);
    assert_string_equal(HC_COND(w, "prod", "prod-west", "ReconciliationActive", "status"), "True");
    assert_string_not_equal(HC_COND(w, "prod", "prod-west", "ClusterVersionProgressing", "message"), saved);
    assert_int_equal(np_replicas(w, "prod", "prod-west-us-west-2a"), 5);
    sim_world_tick(w, SIM_UPGRADE_TICKS);
    assert_string_equal(history(w, "prod", "prod-west", "version"),
                        "4.16.20:Completed:T,4.16.8:Completed:T,4.15.30:Completed:T");
    assert_int_equal(np_replicas(w, "prod", "prod-west-us-west-2a"), 6);
    hcp = get(w, SIM_HOSTEDCONTROLPLANE, "prod-prod-west", "prod-west");
    assert_null(json_at(hcp, "spec", "pausedUntil", NULL));
    cJSON_Delete(hcp);
    sim_world_free(w);
}

static void test_paused_until_time_expires_and_invalid_value(void **state)
{
    (void)state;
    sim_world *w = demo();
    char until[21], body[128], want[96];
    rfc3339_format(sim_store_now(sim_world_store(w)) + 3600, until);
    snprintf(body, sizeof body, "{\"spec\":{\"pausedUntil\":\"%s\"}}", until);
    patch(w, SIM_HOSTEDCLUSTER, "prod", "prod-east", body);
    sim_world_tick(w, 1);
    snprintf(want, sizeof want, "Reconciliation paused until: %s", until);
    assert_string_equal(HC_COND(w, "prod", "prod-east", "ReconciliationActive", "message"), want);
    assert_string_equal(HC_COND(w, "prod", "prod-east", "ReconciliationActive", "status"), "False");
    sim_world_advance_clock(w, 3601);
    sim_world_tick(w, 1);
    assert_string_equal(HC_COND(w, "prod", "prod-east", "ReconciliationActive", "status"), "True");
    assert_string_equal(HC_COND(w, "prod", "prod-east", "ReconciliationActive", "reason"), "AsExpected");
    assert_string_equal(HC_COND(w, "prod", "prod-east", "Progressing", "reason"), "AsExpected");
    /* passes the CRD rule but is no RFC 3339 time: not paused, flagged */
    patch(w, SIM_HOSTEDCLUSTER, "prod", "prod-east", "{\"spec\":{\"pausedUntil\":\"2026-01-01T00:00:00junk\"}}");
    sim_world_tick(w, 1);
    assert_string_equal(HC_COND(w, "prod", "prod-east", "ReconciliationActive", "status"), "True");
    assert_string_equal(HC_COND(w, "prod", "prod-east", "ReconciliationActive", "reason"), "InvalidPausedUntilValue");
    assert_string_equal(HC_COND(w, "prod", "prod-east", "ReconciliationActive", "message"),
                        "Invalid value provided for PausedUntil field");
    /* the demo's own paused clusters */
    assert_string_equal(HC_COND(w, "team-a", "legacy-paused", "ReconciliationActive", "reason"), "ReconciliationPaused");
    assert_string_equal(HC_COND(w, "clusters", "paused-until", "ReconciliationActive", "status"), "False");
    sim_world_free(w);
}

static void test_minor_upgrade_blocked_until_exact_force_annotation(void **state)
{
    (void)state;
    sim_world *w = demo();
    sim_world_tick(w, 2);
    assert_string_equal(HC_COND(w, "team-a", "blocked-minor", "Progressing", "reason"), "Blocked");
    assert_string_equal(HC_COND(w, "team-a", "blocked-minor", "Progressing", "message"),
                        "ClusterVersionUpgradeable condition is false: cluster version is not upgradeable");
    assert_string_equal(HC_COND(w, "team-a", "blocked-minor", "ClusterVersionUpgradeable", "reason"),
                        "AdminAckRequired");
    assert_string_equal(history(w, "team-a", "blocked-minor", "version"), "4.16.20:Completed:T");
    patch(w, SIM_HOSTEDCLUSTER, "team-a", "blocked-minor",
          "{\"metadata\":{\"annotations\":{\"hypershift.openshift.io/force-upgrade-to\":\"" IMG("4.17.5") "\"}}}");
    sim_world_tick(w, 2);
    assert_string_equal(HC_COND(w, "team-a", "blocked-minor", "Progressing", "message"),
                        "ClusterVersionUpgradeable condition is false: force upgrade annotation is present but does "
                        "not match desired release image");
    assert_string_equal(history(w, "team-a", "blocked-minor", "version"), "4.16.20:Completed:T");
    patch(w, SIM_HOSTEDCLUSTER, "team-a", "blocked-minor",
          "{\"metadata\":{\"annotations\":{\"hypershift.openshift.io/force-upgrade-to\":\"" IMG("4.17.9") "\"}}}");
    sim_world_tick(w, 1);
    assert_string_equal(history(w, "team-a", "blocked-minor", "version"), "4.17.9:Partial:-,4.16.20:Completed:T");
    assert_string_equal(HC_COND(w, "team-a", "blocked-minor", "Progressing", "status"), "True");
    sim_world_tick(w, SIM_UPGRADE_TICKS);
    assert_string_equal(history(w, "team-a", "blocked-minor", "version"), "4.17.9:Completed:T,4.16.20:Completed:T");
    sim_world_free(w);
}

static void test_downgrade_and_unsupported_fail_valid_release_image(void **state)
{
    (void)state;
    sim_world *w = demo();
    patch(w, SIM_HOSTEDCLUSTER, "prod", "prod-west", "{\"spec\":{\"release\":{\"image\":\"" IMG("4.15.30") "\"}}}");
    sim_world_tick(w, 2);
    assert_string_equal(HC_COND(w, "prod", "prod-west", "ValidReleaseImage", "status"), "False");
    assert_string_equal(HC_COND(w, "prod", "prod-west", "ValidReleaseImage", "reason"), "InvalidImage");
    assert_string_equal(HC_COND(w, "prod", "prod-west", "ValidReleaseImage", "message"),
                        "y-stream downgrade from \"4.16.8\" to \"4.15.30\" is not supported");
    assert_string_equal(HC_COND(w, "prod", "prod-west", "Progressing", "message"),
                        "ValidReleaseImage condition is false: y-stream downgrade from \"4.16.8\" to \"4.15.30\" is "
                        "not supported");
    assert_string_equal(history(w, "prod", "prod-west", "version"), "4.16.8:Completed:T,4.15.30:Completed:T");
    patch(w, SIM_HOSTEDCLUSTER, "prod", "prod-west", "{\"spec\":{\"release\":{\"image\":\"" IMG("4.18.2") "\"}}}");
    sim_world_tick(w, 1);
    assert_string_equal(HC_COND(w, "prod", "prod-west", "ValidReleaseImage", "message"),
                        "the latest version supported is: \"4.17.0\". Attempting to use: \"4.18.2\"");
    /* forcing does not bypass release validation */
    patch(w, SIM_HOSTEDCLUSTER, "prod", "prod-west",
          "{\"metadata\":{\"annotations\":{\"hypershift.openshift.io/force-upgrade-to\":\"" IMG("4.18.2") "\"}}}");
    sim_world_tick(w, 1);
    assert_string_equal(HC_COND(w, "prod", "prod-west", "ValidReleaseImage", "status"), "False");
    /* back to a valid image: valid again, no upgrade needed */
    patch(w, SIM_HOSTEDCLUSTER, "prod", "prod-west", "{\"spec\":{\"release\":{\"image\":\"" IMG("4.16.8") "\"}}}");
    sim_world_tick(w, 1);
    assert_string_equal(HC_COND(w, "prod", "prod-west", "ValidReleaseImage", "status"), "True");
    assert_string_equal(HC_COND(w, "prod", "prod-west", "Progressing", "reason"), "AsExpected");
    sim_world_free(w);
}

static void test_nodepool_converges_one_node_per_tick_with_drains(void **state)
{
    (void)state;
    sim_world *w = demo();
    assert_int_equal(np_replicas(w, "prod", "prod-east-gpu"), 0);
    patch(w, SIM_NODEPOOL, "prod", "prod-east-gpu", "{\"spec\":{\"replicas\":3}}");
    for (int i = 1; i <= 3; i++) {
        sim_world_tick(w, 1);
        assert_int_equal(np_replicas(w, "prod", "prod-east-gpu"), i);
        assert_string_equal(NP_COND(w, "prod", "prod-east-gpu", "Ready", "status"), i < 3 ? "False" : "True");
    }
    sim_world_tick(w, 2);
    assert_int_equal(np_replicas(w, "prod", "prod-east-gpu"), 3);
    /* no drain timeout: each removal drains SIM_DRAIN_TICKS ticks */
    patch(w, SIM_NODEPOOL, "prod", "prod-east-gpu", "{\"spec\":{\"replicas\":1}}");
    sim_world_tick(w, SIM_DRAIN_TICKS - 1);
    assert_int_equal(np_replicas(w, "prod", "prod-east-gpu"), 3);
    assert_string_equal(NP_COND(w, "prod", "prod-east-gpu", "AllNodesHealthy", "reason"), "NodeDraining");
    sim_world_tick(w, 1);
    assert_int_equal(np_replicas(w, "prod", "prod-east-gpu"), 2);
    sim_world_tick(w, SIM_DRAIN_TICKS);
    assert_int_equal(np_replicas(w, "prod", "prod-east-gpu"), 1);
    /* nodeDrainTimeout 30s: three ticks per node */
    patch(w, SIM_NODEPOOL, "prod", "prod-east-gpu", "{\"spec\":{\"replicas\":0,\"nodeDrainTimeout\":\"30s\"}}");
    sim_world_tick(w, 2);
    assert_int_equal(np_replicas(w, "prod", "prod-east-gpu"), 1);
    sim_world_tick(w, 1);
    assert_int_equal(np_replicas(w, "prod", "prod-east-gpu"), 0);
    /* autoscaling pools sit inside [min, max] */
    patch(w, SIM_NODEPOOL, "clusters", "dev-single-workers", "{\"spec\":{\"autoScaling\":{\"min\":4,\"max\":5}}}");
    sim_world_tick(w, 3);
    assert_int_equal(np_replicas(w, "clusters", "dev-single-workers"), 4);
    assert_string_equal(NP_COND(w, "clusters", "dev-single-workers", "AutoscalingEnabled", "status"), "True");
    sim_world_free(w);
}

static void test_nodepool_cannot_run_ahead_and_rolls_versions(void **state)
{
    (void)state;
    sim_world *w = demo();
    patch(w, SIM_NODEPOOL, "prod", "prod-west-us-west-2a",
          "{\"spec\":{\"release\":{\"image\":\"" IMG("4.17.9") "\"}}}");
    sim_world_tick(w, 6);
    assert_string_equal(NP_COND(w, "prod", "prod-west-us-west-2a", "ValidReleaseImage", "status"), "False");
    assert_string_equal(NP_COND(w, "prod", "prod-west-us-west-2a", "ValidReleaseImage", "reason"), "ValidationFailed");
    assert_memory_equal(NP_COND(w, "prod", "prod-west-us-west-2a", "ValidReleaseImage", "message"),
                        "Failed to get release image: ", 28);
    assert_string_equal(NP_COND(w, "prod", "prod-west-us-west-2a", "UpdatingVersion", "status"), "False");
    cJSON *np = get(w, SIM_NODEPOOL, "prod", "prod-west-us-west-2a");
    assert_string_equal(json_str_at(np, "status", "version", NULL), "4.16.8");
    cJSON_Delete(np);
    /* a z-stream within the control plane's minor rolls out, and status.version changes only at the end */
    patch(w, SIM_NODEPOOL, "prod", "prod-west-us-west-2a",
          "{\"spec\":{\"release\":{\"image\":\"" IMG("4.16.15") "\"}}}");
    sim_world_tick(w, 1);
    assert_string_equal(NP_COND(w, "prod", "prod-west-us-west-2a", "UpdatingVersion", "status"), "True");
    assert_string_equal(NP_COND(w, "prod", "prod-west-us-west-2a", "UpdatingVersion", "message"),
                        "Updating version in progress. Target version: 4.16.15");
    np = get(w, SIM_NODEPOOL, "prod", "prod-west-us-west-2a");
    assert_string_equal(json_str_at(np, "status", "version", NULL), "4.16.8");
    assert_int_equal(cJSON_GetArraySize(json_at(np, "status", "nodesInfo", "nodeVersions", NULL)), 2);
    cJSON_Delete(np);
    sim_world_tick(w, 4);
    np = get(w, SIM_NODEPOOL, "prod", "prod-west-us-west-2a");
    assert_string_equal(json_str_at(np, "status", "version", NULL), "4.16.15");
    assert_string_equal(json_str_at(cJSON_GetArrayItem(json_at(np, "status", "nodesInfo", "nodeVersions", NULL), 0),
                                    "ocpVersion", NULL),
                        "4.16.15");
    cJSON_Delete(np);
    assert_string_equal(NP_COND(w, "prod", "prod-west-us-west-2a", "UpdatingVersion", "status"), "False");
    sim_world_free(w);
}

static void test_channel_fills_updates(void **state)
{
    (void)state;
    sim_world *w = demo();
    patch(w, SIM_HOSTEDCLUSTER, "clusters", "dev-single", "{\"spec\":{\"channel\":null}}");
    sim_world_tick(w, 1);
    cJSON *hc = get(w, SIM_HOSTEDCLUSTER, "clusters", "dev-single");
    assert_true(cJSON_IsNull(json_at(hc, "status", "version", "availableUpdates", NULL)));
    assert_null(json_at(hc, "status", "version", "conditionalUpdates", NULL));
    cJSON_Delete(hc);
    assert_string_equal(HC_COND(w, "clusters", "dev-single", "ClusterVersionRetrievedUpdates", "reason"), "NoChannel");
    patch(w, SIM_HOSTEDCLUSTER, "clusters", "dev-single", "{\"spec\":{\"channel\":\"fast-4.16\"}}");
    sim_world_tick(w, 1);
    hc = get(w, SIM_HOSTEDCLUSTER, "clusters", "dev-single");
    const cJSON *av = json_at(hc, "status", "version", "availableUpdates", NULL);
    assert_true(cJSON_IsArray(av));
    assert_true(cJSON_GetArraySize(av) >= 2);
    sim_version v;
    const cJSON *u;
    cJSON_ArrayForEach(u, av)
    {
        assert_true(sim_version_parse(json_str_at(u, "version", NULL), &v));
        assert_true(v.minor == 15 || v.minor == 16);
        /* the digest image resolves back to its version */
        sim_version back;
        assert_true(sim_release_version_of(json_str_at(u, "image", NULL), &back));
        assert_int_equal(sim_version_cmp(v, back), 0);
    }
    const cJSON *cu = json_at(hc, "status", "version", "conditionalUpdates", NULL);
    assert_true(cJSON_GetArraySize(cu) >= 1);
    const cJSON *first = cJSON_GetArrayItem(cu, 0);
    assert_non_null(json_str_at(cJSON_GetArrayItem(json_at(first, "risks", NULL), 0), "name", NULL));
    assert_non_null(json_str_at(cJSON_GetArrayItem(json_at(first, "risks", NULL), 0), "url", NULL));
    const cJSON *rc = cJSON_GetArrayItem(json_at(first, "conditions", NULL), 0);
    assert_string_equal(json_str_at(rc, "type", NULL), "Recommended");
    assert_string_equal(json_str_at(rc, "status", NULL), "False");
    cJSON_Delete(hc);
    assert_string_equal(HC_COND(w, "clusters", "dev-single", "ClusterVersionRetrievedUpdates", "status"), "True");
    sim_world_free(w);
}

static int64_t restarts_of(sim_world *w, const char *ns, const char *pod)
{
    cJSON *p = get(w, SIM_POD, ns, pod);
    int64_t rc = -1;
    const cJSON *cs;
    cJSON_ArrayForEach(cs, json_at(p, "status", "containerStatuses", NULL))
    {
        if (strcmp(json_str_at(cs, "name", NULL), "etcd") == 0)
            json_int_at(&rc, cs, "restartCount", NULL);
    }
    cJSON_Delete(p);
    return rc;
}

static const char *etcd_waiting(sim_world *w, const char *ns, const char *pod)
{
    static char out[64];
    cJSON *p = get(w, SIM_POD, ns, pod);
    const char *r = NULL;
    const cJSON *cs;
    cJSON_ArrayForEach(cs, json_at(p, "status", "containerStatuses", NULL))
    {
        if (strcmp(json_str_at(cs, "name", NULL), "etcd") == 0)
            r = json_str_at(cs, "state", "waiting", "reason", NULL);
    }
    snprintf(out, sizeof out, "%s", r ? r : "<running>");
    cJSON_Delete(p);
    return out;
}

static int64_t sts_ready(sim_world *w, const char *ns)
{
    cJSON *s = get(w, SIM_STATEFULSET, ns, "etcd");
    int64_t r = -1;
    json_int_at(&r, s, "status", "readyReplicas", NULL);
    cJSON_Delete(s);
    return r;
}

/* The etcd container's status fields of a pod: restartCount, the waiting message, lastState's finishedAt. */
typedef struct etcd_status {
    int64_t restarts;
    char waiting[256], finished[32];
    uint64_t rv;
} etcd_status;

static etcd_status etcd_status_of(sim_world *w, const char *ns, const char *pod)
{
    etcd_status es = {.restarts = -1};
    cJSON *p = get(w, SIM_POD, ns, pod);
    const cJSON *cs;
    cJSON_ArrayForEach(cs, json_at(p, "status", "containerStatuses", NULL))
    {
        if (strcmp(json_str_at(cs, "name", NULL), "etcd") != 0)
            continue;
        json_int_at(&es.restarts, cs, "restartCount", NULL);
        const char *m = json_str_at(cs, "state", "waiting", "message", NULL);
        const char *f = json_str_at(cs, "lastState", "terminated", "finishedAt", NULL);
        snprintf(es.waiting, sizeof es.waiting, "%s", m ? m : "");
        snprintf(es.finished, sizeof es.finished, "%s", f ? f : "");
    }
    const char *rv = json_str_at(p, "metadata", "resourceVersion", NULL);
    es.rv = rv ? strtoull(rv, NULL, 10) : 0;
    cJSON_Delete(p);
    return es;
}

/* kubelet's CrashLoopBackOff: the waits between restarts double from 10 s to a 5 minute cap, one
 * tick being one simulated second; the pod is not written while it waits; the waiting message names
 * the back-off and lastState.terminated.finishedAt is the time of the last crash. */
static void test_etcd_crash_loop_backs_off(void **state)
{
    (void)state;
    sim_world *w = demo();
    const char *ns = "team-a-etcd-degraded";
    del(w, SIM_POD, ns, "etcd-1"); /* a fresh pod: its crash loop starts from the first crash */
    int t = 0;
    etcd_status es;
    do {
        sim_world_tick(w, 1);
        sim_world_advance_clock(w, 1);
        assert_true(++t < 10);
        es = etcd_status_of(w, ns, "etcd-1");
    } while (es.restarts < 1);
    assert_int_equal(es.restarts, 1);
    assert_non_null(strstr(es.waiting, "back-off 10s restarting failed container=etcd pod=etcd-1_"));
    static const int want_gap[] = {10, 20, 40, 80, 160, 300, 300};
    static const char *const want_msg[] = {"back-off 20s ", "back-off 40s ", "back-off 1m20s ", "back-off 2m40s ",
                                           "back-off 5m0s ", "back-off 5m0s ", "back-off 5m0s "};
    for (size_t k = 0; k < sizeof want_gap / sizeof want_gap[0]; k++) {
        etcd_status before = es;
        time_t crashed_at;
        assert_true(rfc3339_parse(before.finished, &crashed_at));
        int gap = 0;
        do {
            sim_world_tick(w, 1);
            sim_world_advance_clock(w, 1);
            gap++;
            es = etcd_status_of(w, ns, "etcd-1");
            if (es.restarts == before.restarts) {
                assert_int_equal(es.rv, before.rv); /* waiting: nothing written */
                assert_string_equal(es.finished, before.finished);
            }
            assert_true(gap <= 400);
        } while (es.restarts == before.restarts);
        assert_int_equal(es.restarts, before.restarts + 1);
        assert_int_equal(gap, want_gap[k]);
        assert_non_null(strstr(es.waiting, want_msg[k]));
        time_t finished;
        assert_true(rfc3339_parse(es.finished, &finished));
        /* the clock moved a second a tick (and the wall clock under it a little) */
        assert_in_range(finished - crashed_at, want_gap[k], want_gap[k] + 2);
    }
    assert_string_equal(etcd_waiting(w, ns, "etcd-1"), "CrashLoopBackOff");
    sim_world_free(w);
}

static void test_crash_backoff_schedule(void **state)
{
    (void)state;
    static const int want[] = {10, 10, 20, 40, 80, 160, 300, 300};
    for (int r = 0; r < 8; r++)
        assert_int_equal(sim_crash_backoff_s(r), want[r]);
    assert_int_equal(sim_crash_backoff_s(-5), 10);
    assert_int_equal(sim_crash_backoff_s(1000000), 300);
}

static void test_etcd_member_recovers_only_after_pod_and_pvc_deletion(void **state)
{
    (void)state;
    sim_world *w = demo();
    const char *ns = "team-a-etcd-degraded";
    sim_world_tick(w, 1);
    assert_string_equal(etcd_waiting(w, ns, "etcd-1"), "CrashLoopBackOff");
    int64_t r0 = restarts_of(w, ns, "etcd-1");
    /* two back-offs (the first may be under way already): two more restarts */
    sim_world_tick(w, sim_crash_backoff_s((int)r0) + sim_crash_backoff_s((int)r0 + 1));
    assert_true(restarts_of(w, ns, "etcd-1") >= r0 + 2);
    assert_int_equal(sts_ready(w, ns), 2);
    assert_string_equal(HC_COND(w, "team-a", "etcd-degraded", "EtcdAvailable", "status"), "True");
    assert_string_equal(HC_COND(w, "team-a", "etcd-degraded", "Degraded", "status"), "True");
    char *prev = sim_world_pod_log(w, ns, "etcd-1", "etcd", true);
    assert_non_null(prev);
    assert_non_null(strstr(prev, "panic"));
    free(prev);
    assert_null(sim_world_pod_log(w, ns, "etcd-0", "etcd", true));
    assert_null(sim_world_pod_log(w, ns, "etcd-0", "no-such-container", false));
    char *cur = sim_world_pod_log(w, ns, "etcd-0", "etcd", false);
    assert_non_null(strstr(cur, "serving client traffic securely"));
    free(cur);

    /* the pod alone: recreated, and crash-loops again on the same claim */
    del(w, SIM_POD, ns, "etcd-1");
    sim_world_tick(w, 1);
    assert_int_equal(restarts_of(w, ns, "etcd-1"), 0);
    sim_world_tick(w, 2);
    assert_string_equal(etcd_waiting(w, ns, "etcd-1"), "CrashLoopBackOff");
    assert_true(restarts_of(w, ns, "etcd-1") >= 1);

    /* claim and pod: the claim is recreated (Pending, then Bound) and the member comes back */
    del(w, SIM_PVC, ns, "data-etcd-1");
    del(w, SIM_POD, ns, "etcd-1");
    int ticks = 0;
    bool saw_pending = false;
    while (sts_ready(w, ns) < 3 && ticks < 10) {
        sim_world_tick(w, 1);
        ticks++;
        cJSON *pvc = get(w, SIM_PVC, ns, "data-etcd-1");
        const char *phase = json_str_at(pvc, "status", "phase", NULL);
        if (phase && strcmp(phase, "Pending") == 0)
            saw_pending = true;
        cJSON_Delete(pvc);
    }
    assert_true(saw_pending);
    assert_int_equal(sts_ready(w, ns), 3);
    assert_string_equal(etcd_waiting(w, ns, "etcd-1"), "<running>");
    cJSON *pvc = get(w, SIM_PVC, ns, "data-etcd-1");
    assert_string_equal(json_str_at(pvc, "status", "phase", NULL), "Bound");
    assert_null(json_at(pvc, "metadata", "annotations", SIM_CORRUPT_ANNOTATION, NULL));
    cJSON_Delete(pvc);
    sim_world_tick(w, 1);
    assert_string_equal(HC_COND(w, "team-a", "etcd-degraded", "Degraded", "status"), "False");
    sim_world_free(w);
}

typedef struct event_count {
    const char *reason;
    int n;
} event_count;

static void count_event(const cJSON *ev, void *ctx)
{
    event_count *c = ctx;
    const char *r = json_str_at(ev, "reason", NULL);
    if (r && strcmp(r, c->reason) == 0)
        c->n++;
}

static void test_events_emitted(void **state)
{
    (void)state;
    sim_world *w = demo();
    sim_world_tick(w, 6 + SIM_CRASH_BACKOFF_BASE_S); /* etcd-1 crashed twice: after the first back-off */
    event_count started = {"UpgradeStarted", 0}, backoff = {"BackOff", 0}, blocked = {"UpgradeBlocked", 0};
    sim_store *s = sim_world_store(w);
    sim_store_foreach(s, sim_kind_get(SIM_EVENT), "clusters", count_event, &started);
    sim_store_foreach(s, sim_kind_get(SIM_EVENT), "team-a-etcd-degraded", count_event, &backoff);
    sim_store_foreach(s, sim_kind_get(SIM_EVENT), "team-a", count_event, &blocked);
    assert_int_equal(started.n, 1);
    assert_int_equal(backoff.n, 1); /* repeats bump count instead of adding events */
    assert_int_equal(blocked.n, 1);
    sim_list_opts o = {0};
    o.ns = "team-a-etcd-degraded";
    sim_reply r = sim_store_list(s, sim_kind_get(SIM_EVENT), &o);
    const cJSON *ev;
    bool checked = false;
    cJSON_ArrayForEach(ev, json_at(r.body, "items", NULL))
    {
        if (strcmp(json_str_at(ev, "reason", NULL), "BackOff") != 0)
            continue;
        int64_t count = 0;
        assert_true(json_int_at(&count, ev, "count", NULL));
        assert_true(count >= 2);
        assert_string_equal(json_str_at(ev, "type", NULL), "Warning");
        assert_string_equal(json_str_at(ev, "involvedObject", "kind", NULL), "Pod");
        assert_string_equal(json_str_at(ev, "involvedObject", "name", NULL), "etcd-1");
        assert_non_null(json_str_at(ev, "involvedObject", "uid", NULL));
        assert_string_equal(json_str_at(ev, "source", "component", NULL), "kubelet");
        checked = true;
    }
    assert_true(checked);
    cJSON_Delete(r.body);
    sim_world_free(w);
}

/* Drops what differs between two runs by nature (uids, resourceVersions, times). */
static void strip_volatile(cJSON *j)
{
    for (cJSON *c = j ? j->child : NULL, *next; c; c = next) {
        next = c->next;
        time_t t;
        if (c->string && (strcmp(c->string, "uid") == 0 || strcmp(c->string, "resourceVersion") == 0 ||
                          strcmp(c->string, "continue") == 0)) {
            cJSON_DeleteItemFromObjectCaseSensitive(j, c->string);
            continue;
        }
        /* crash-loop messages name the pod's uid */
        if (cJSON_IsString(c) && (rfc3339_parse(c->valuestring, &t) || strstr(c->valuestring, "paused until") ||
                                  strstr(c->valuestring, "back-off")))
            cJSON_SetValuestring(c, "T");
        strip_volatile(c);
    }
}

static char *fleet_text(const char *fleet, uint64_t seed)
{
    char err[256];
    sim_world *w = sim_world_new(fleet, seed, 0, err, sizeof err);
    assert_non_null(w);
    sim_world_tick(w, 3);
    cJSON *all = cJSON_CreateArray();
    sim_kind_id kinds[] = {SIM_HOSTEDCLUSTER, SIM_NODEPOOL, SIM_POD};
    for (size_t i = 0; i < 3; i++) {
        sim_list_opts o = {0};
        sim_reply r = sim_store_list(sim_world_store(w), sim_kind_get(kinds[i]), &o);
        cJSON_AddItemToArray(all, r.body);
    }
    strip_volatile(all);
    char *text = cJSON_PrintUnformatted(all);
    cJSON_Delete(all);
    sim_world_free(w);
    return text;
}

static void test_fleet_determinism(void **state)
{
    (void)state;
    char *a = fleet_text("40", 7), *b = fleet_text("40", 7), *c = fleet_text("40", 8);
    assert_string_equal(a, b);
    assert_string_not_equal(a, c);
    free(a);
    free(b);
    free(c);
    a = fleet_text("demo", 1);
    b = fleet_text("demo", 1);
    assert_string_equal(a, b);
    free(a);
    free(b);
}

static void test_fleet_sizes_and_errors(void **state)
{
    (void)state;
    char err[256] = "";
    assert_null(sim_world_new("bogus", 1, 0, err, sizeof err));
    assert_non_null(strstr(err, "bad fleet"));
    assert_null(sim_world_new("-3", 1, 0, err, sizeof err));
    assert_null(sim_world_new("", 1, 0, err, sizeof err));
    sim_world *w = sim_world_new("none", 1, 0, err, sizeof err);
    assert_non_null(w);
    sim_store *s = sim_world_store(w);
    assert_int_equal(sim_store_count(s, sim_kind_get(SIM_HOSTEDCLUSTER)), 0);
    cJSON *cm = get(w, SIM_CONFIGMAP, "hypershift", "supported-versions");
    assert_string_equal(json_str_at(cm, "data", "supported-versions", NULL),
                        "{\"versions\":[\"4.17\",\"4.16\",\"4.15\",\"4.14\"]}");
    cJSON_Delete(cm);
    cJSON *dep = get(w, SIM_DEPLOYMENT, "hypershift", "operator");
    assert_non_null(dep);
    cJSON_Delete(dep);
    sim_world_free(w);

    w = sim_world_new("200", 3, 0, err, sizeof err);
    assert_non_null(w);
    s = sim_world_store(w);
    assert_int_equal(sim_store_count(s, sim_kind_get(SIM_HOSTEDCLUSTER)), 200);
    size_t pools = sim_store_count(s, sim_kind_get(SIM_NODEPOOL));
    assert_true(pools >= 600 && pools <= 1000); /* four per cluster on average */
    assert_int_equal(sim_store_count(s, sim_kind_get(SIM_HOSTEDCONTROLPLANE)), 200);
    int64_t t0 = now_ms_monotonic();
    sim_world_tick(w, 5);
    assert_true(now_ms_monotonic() - t0 < 5000);
    sim_world_free(w);
}

static void test_user_created_cluster_installs(void **state)
{
    (void)state;
    sim_world *w = demo();
    cJSON *hc = get(w, SIM_HOSTEDCLUSTER, "prod", "prod-east");
    cJSON *md = cJSON_CreateObject();
    json_set_str(md, "name", "fresh");
    json_set_str(md, "namespace", "prod");
    json_set_item(hc, "metadata", md);
    cJSON_DeleteItemFromObjectCaseSensitive(hc, "status");
    json_set_str(json_obj_child(json_obj_child(hc, "spec"), "release"), "image", IMG("4.17.5"));
    json_set_str(json_obj_child(hc, "spec"), "controllerAvailabilityPolicy", "SingleReplica");
    sim_reply r = sim_store_create(sim_world_store(w), sim_kind_get(SIM_HOSTEDCLUSTER), "prod", hc, NULL);
    assert_int_equal(r.code, 201);
    cJSON_Delete(r.body);
    cJSON_Delete(hc);
    sim_world_tick(w, 1);
    assert_string_equal(history(w, "prod", "fresh", "version"), "4.17.5:Partial:-");
    cJSON *hcp = get(w, SIM_HOSTEDCONTROLPLANE, "prod-fresh", "fresh");
    assert_non_null(hcp);
    cJSON_Delete(hcp);
    sim_world_tick(w, SIM_UPGRADE_TICKS + 1);
    assert_string_equal(history(w, "prod", "fresh", "version"), "4.17.5:Completed:T");
    assert_int_equal(sts_ready(w, "prod-fresh"), 1);
    assert_string_equal(HC_COND(w, "prod", "fresh", "EtcdAvailable", "status"), "True");
    hc = get(w, SIM_HOSTEDCLUSTER, "prod", "fresh");
    assert_string_equal(json_str_at(hc, "metadata", "annotations", "hypershift.openshift.io/HasBeenAvailable", NULL),
                        "true");
    cJSON_Delete(hc);
    cJSON *secret = get(w, SIM_SECRET, "prod", "fresh-admin-kubeconfig");
    assert_non_null(secret);
    cJSON_Delete(secret);
    sim_world_free(w);
}

static void test_release_graph_and_parsers(void **state)
{
    (void)state;
    sim_version v;
    assert_true(sim_version_parse("4.16.3", &v));
    assert_int_equal(v.minor, 16);
    assert_true(sim_version_parse("4.16.3-rc.1", &v));
    static const char *bad[] = {"", "4", "4.16", "4.16.", "4..3", "v4.16.3", "4.16.3.1", "4.16.3x", "99999.1.1",
                                "-4.16.3", "4.16.-3", NULL};
    for (size_t i = 0; bad[i]; i++)
        assert_false(sim_version_parse(bad[i], &v));
    assert_false(sim_version_parse(NULL, &v));
    assert_true(sim_release_version_of(IMG("4.17.5"), &v));
    assert_int_equal(v.patch, 5);
    assert_true(sim_release_version_of("registry.local:5000/ocp/release:4.15.12-x86_64", &v));
    assert_int_equal(v.minor, 15);
    assert_false(sim_release_version_of("registry.local:5000/ocp/release", &v));
    assert_false(sim_release_version_of("quay.io/openshift-release-dev/ocp-release@sha256:00", &v));
    assert_false(sim_release_version_of("quay.io/x:latest", &v));
    char digest[200];
    sim_version want = {4, 16, 15};
    sim_release_digest_image(want, digest, sizeof digest);
    assert_true(sim_release_version_of(digest, &v));
    assert_int_equal(sim_version_cmp(v, want), 0);
    /* channels: eus only on even minors; unknown channels give null updates */
    assert_true(sim_channel_known("eus-4.16"));
    assert_false(sim_channel_known("eus-4.15"));
    assert_false(sim_channel_known("stable-4.18"));
    assert_false(sim_channel_known("stable-"));
    assert_false(sim_channel_known("nightly-4.16"));
    cJSON *av, *cu;
    sim_release_updates(want, "stable-4.99", "2026-01-01T00:00:00Z", &av, &cu);
    assert_true(cJSON_IsNull(av));
    assert_null(cu);
    cJSON_Delete(av);
    char msg[200];
    sim_version cur = {4, 16, 8}, next = {4, 13, 1};
    assert_false(sim_release_validate(NULL, next, msg, sizeof msg));
    assert_string_equal(msg, "the minimum version supported is: \"4.14.0\". Attempting to use: \"4.13.1\"");
    next.minor = 16;
    next.patch = 3;
    assert_true(sim_release_validate(&cur, next, msg, sizeof msg)); /* z-stream downgrades are not refused */
}

static void test_demo_upgrade_is_paced(void **state)
{
    (void)state;
    sim_world *w = demo();
    sim_world_tick(w, 20);
    assert_string_equal(history(w, "clusters", "upgrade-demo", "version"), "4.16.8:Partial:-,4.16.3:Completed:T");
    assert_string_equal(HC_COND(w, "clusters", "upgrade-demo", "ClusterVersionProgressing", "message"),
                        "Working towards 4.16.8: 100 of 905 done (11% complete)");
    assert_string_equal(NP_COND(w, "clusters", "upgrade-demo-us-east-1a", "UpdatingVersion", "status"), "True");
    sim_world_tick(w, 170);
    assert_string_equal(history(w, "clusters", "upgrade-demo", "version"), "4.16.8:Completed:T,4.16.3:Completed:T");
    assert_string_equal(NP_COND(w, "clusters", "upgrade-demo-us-east-1a", "UpdatingVersion", "status"), "False");
    sim_world_free(w);
}

static void test_cluster_deletion_takes_pools_and_namespace(void **state)
{
    (void)state;
    sim_world *w = demo();
    del(w, SIM_HOSTEDCLUSTER, "prod", "prod-east");
    cJSON *hc = get(w, SIM_HOSTEDCLUSTER, "prod", "prod-east");
    assert_non_null(json_str_at(hc, "metadata", "deletionTimestamp", NULL)); /* held by its finalizer */
    cJSON_Delete(hc);
    sim_world_tick(w, 3);
    assert_null(get(w, SIM_HOSTEDCLUSTER, "prod", "prod-east"));
    assert_null(get(w, SIM_NODEPOOL, "prod", "prod-east-gpu"));
    assert_null(get(w, SIM_NAMESPACE, NULL, "prod-prod-east"));
    assert_null(get(w, SIM_POD, "prod-prod-east", "etcd-0"));
    /* the neighbours are untouched */
    cJSON *np = get(w, SIM_NODEPOOL, "prod", "prod-west-us-west-2a");
    assert_non_null(np);
    cJSON_Delete(np);
    sim_world_free(w);
}

/* Upgrades done, and every crash loop at the 5-minute back-off (10+20+40+80+160 s after its first crash). */
#define SETTLE_TICKS (SIM_UPGRADE_TICKS + 320)

static void count_crashing(const cJSON *pod, void *ctx)
{
    const cJSON *cs;
    cJSON_ArrayForEach(cs, json_at(pod, "status", "containerStatuses", NULL))
    {
        const char *w = json_str_at(cs, "state", "waiting", "reason", NULL);
        if (w && strcmp(w, "CrashLoopBackOff") == 0)
            (*(int *)ctx)++;
    }
}

/* Once a fleet settles, a tick writes only what moves: each crash-looping pod's restart and the
 * count of its BackOff event, once per 5-minute back-off. */
static void test_settled_fleet_writes_only_what_changes(void **state)
{
    (void)state;
    char err[256];
    sim_world *w = sim_world_new("300", 5, 0, err, sizeof err);
    assert_non_null(w);
    sim_world_tick(w, SETTLE_TICKS);
    sim_store *s = sim_world_store(w);
    int crashing = 0;
    sim_store_foreach(s, sim_kind_get(SIM_POD), NULL, count_crashing, &crashing);
    assert_true(crashing > 0);
    uint64_t before = sim_store_rv(s);
    sim_world_tick(w, SIM_CRASH_BACKOFF_MAX_S);
    uint64_t writes = sim_store_rv(s) - before;
    assert_true(writes > 0);
    assert_true(writes <= (uint64_t)crashing * 2);
    sim_world_free(w);
}

/* A cluster deleted and created again under the same name is a new object (new uid): its etcd,
 * pools and conditions must follow the new one, not what the controllers remembered of the old. */
static void test_cluster_recreated_under_same_name(void **state)
{
    (void)state;
    sim_world *w = demo();
    cJSON *hc = get(w, SIM_HOSTEDCLUSTER, "prod", "prod-east");
    cJSON *np = get(w, SIM_NODEPOOL, "prod", "prod-east-gpu");
    assert_non_null(hc);
    assert_non_null(np);
    del(w, SIM_HOSTEDCLUSTER, "prod", "prod-east");
    sim_world_tick(w, 3);
    assert_null(get(w, SIM_HOSTEDCLUSTER, "prod", "prod-east"));
    assert_null(get(w, SIM_NAMESPACE, NULL, "prod-prod-east"));

    /* The pool comes first (as a GitOps tool may apply it): it waits for its cluster. */
    cJSON *md = cJSON_CreateObject();
    json_set_str(md, "name", "prod-east-again");
    json_set_str(md, "namespace", "prod");
    json_set_item(np, "metadata", md);
    cJSON_DeleteItemFromObjectCaseSensitive(np, "status");
    json_set_num(json_obj_child(np, "spec"), "replicas", 2);
    sim_reply r = sim_store_create(sim_world_store(w), sim_kind_get(SIM_NODEPOOL), "prod", np, NULL);
    assert_int_equal(r.code, 201);
    cJSON_Delete(r.body);
    sim_world_tick(w, 2);
    assert_int_equal(np_replicas(w, "prod", "prod-east-again"), 0);

    md = cJSON_CreateObject();
    json_set_str(md, "name", "prod-east");
    json_set_str(md, "namespace", "prod");
    json_set_item(hc, "metadata", md);
    cJSON_DeleteItemFromObjectCaseSensitive(hc, "status");
    json_set_str(json_obj_child(hc, "spec"), "controllerAvailabilityPolicy", "SingleReplica");
    r = sim_store_create(sim_world_store(w), sim_kind_get(SIM_HOSTEDCLUSTER), "prod", hc, NULL);
    assert_int_equal(r.code, 201);
    cJSON_Delete(r.body);
    cJSON_Delete(hc);
    cJSON_Delete(np);

    sim_world_tick(w, SIM_UPGRADE_TICKS + 2);
    assert_int_equal(sts_ready(w, "prod-prod-east"), 1); /* one member now, not the old three */
    cJSON *pod = get(w, SIM_POD, "prod-prod-east", "etcd-0");
    assert_non_null(pod);
    cJSON_Delete(pod);
    assert_null(get(w, SIM_POD, "prod-prod-east", "etcd-1"));
    assert_string_equal(HC_COND(w, "prod", "prod-east", "EtcdAvailable", "status"), "True");
    assert_string_equal(HC_COND(w, "prod", "prod-east", "Available", "status"), "True");
    assert_int_equal(np_replicas(w, "prod", "prod-east-again"), 2);
    assert_string_equal(NP_COND(w, "prod", "prod-east-again", "Ready", "status"), "True");
    sim_world_free(w);
}

/* The first tick of a fleet this size writes more than the store's event window, so the controllers
 * lose their watches and read everything again on the next tick. What they keep must still be right:
 * upgrades complete and, once settled, a tick writes only what moves (as in the test above). */
static void test_fleet_beyond_event_window_settles(void **state)
{
    (void)state;
    char err[256];
    sim_world *w = sim_world_new("1000", 9, 0, err, sizeof err);
    assert_non_null(w);
    sim_store *s = sim_world_store(w);
    uint64_t before = sim_store_rv(s);
    sim_world_tick(w, 1);
    assert_true(sim_store_rv(s) - before < 4096); /* tick 2 writes little after the re-read */
    sim_world_tick(w, SETTLE_TICKS);
    int crashing = 0;
    sim_store_foreach(s, sim_kind_get(SIM_POD), NULL, count_crashing, &crashing);
    assert_true(crashing > 0);
    before = sim_store_rv(s);
    sim_world_tick(w, SIM_CRASH_BACKOFF_MAX_S);
    uint64_t writes = sim_store_rv(s) - before;
    assert_true(writes > 0);
    assert_true(writes <= (uint64_t)crashing * 2);
    sim_world_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_zstream_upgrade_partial_then_completed),
        cmocka_unit_test(test_pause_stops_and_resume_restarts_upgrade),
        cmocka_unit_test(test_paused_until_time_expires_and_invalid_value),
        cmocka_unit_test(test_minor_upgrade_blocked_until_exact_force_annotation),
        cmocka_unit_test(test_downgrade_and_unsupported_fail_valid_release_image),
        cmocka_unit_test(test_nodepool_converges_one_node_per_tick_with_drains),
        cmocka_unit_test(test_nodepool_cannot_run_ahead_and_rolls_versions),
        cmocka_unit_test(test_channel_fills_updates),
        cmocka_unit_test(test_etcd_member_recovers_only_after_pod_and_pvc_deletion),
        cmocka_unit_test(test_etcd_crash_loop_backs_off),
        cmocka_unit_test(test_crash_backoff_schedule),
        cmocka_unit_test(test_events_emitted),
        cmocka_unit_test(test_fleet_determinism),
        cmocka_unit_test(test_fleet_sizes_and_errors),
        cmocka_unit_test(test_user_created_cluster_installs),
        cmocka_unit_test(test_release_graph_and_parsers),
        cmocka_unit_test(test_demo_upgrade_is_paced),
        cmocka_unit_test(test_cluster_deletion_takes_pools_and_namespace),
        cmocka_unit_test(test_settled_fleet_writes_only_what_changes),
        cmocka_unit_test(test_cluster_recreated_under_same_name),
        cmocka_unit_test(test_fleet_beyond_event_window_settles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
