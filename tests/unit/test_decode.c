/* Decoders on realistic objects (the fact sheet's examples) and on hostile ones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/decode.h"
#include "client/derive.h"
#include "client/record_arena.h"
#include "common/buf.h"
#include "common/jsonutil.h"
#include "common/timeutil.h"
#include "json_fixture.h"

static time_t ts(const char *s)
{
    time_t t;
    assert_true(rfc3339_parse(s, &t));
    return t;
}

static void test_hc_healthy(void **state)
{
    (void)state;
    record *r = load_fixture_record(RES_HOSTEDCLUSTER, "hc_healthy.json");
    const hc_record *h = &r->u.hc;
    assert_string_equal(r->meta.name, "prod1");
    assert_string_equal(r->meta.namespace, "clusters");
    assert_string_equal(r->meta.resource_version, "918273");
    assert_string_equal(r->meta.uid, "7d0c4a52-3b1e-4c8e-9a43-0f2a9b8e1c11");
    assert_true(r->meta.has_generation);
    assert_int_equal(r->meta.generation, 4);
    assert_int_equal(r->meta.created, ts("2026-05-02T10:05:00Z"));
    assert_int_equal(r->meta.deleted, REC_TIME_UNKNOWN);
    /* labels and annotations of interest only */
    assert_string_equal(rec_label(r, "api.openshift.com/id"), "2abc");
    assert_string_equal(rec_label(r, "hypershift.openshift.io/hosted-cluster-size"), "medium");
    assert_null(rec_label(r, "team"));
    assert_string_equal(rec_annotation(r, "hypershift.openshift.io/HasBeenAvailable"), "true");
    assert_string_equal(rec_annotation(r, "hcptui.io/previous-replicas"), "3");
    assert_null(rec_annotation(r, "kubectl.kubernetes.io/last-applied-configuration"));
    assert_int_equal(r->meta.n_annotations, 2);

    assert_string_equal(h->release_image, "quay.io/openshift-release-dev/ocp-release:4.19.3-multi");
    assert_null(h->cp_release_image);
    assert_string_equal(h->channel, "stable-4.19");
    assert_null(h->paused_until);
    assert_string_equal(h->controller_availability, "HighlyAvailable");
    assert_string_equal(h->infrastructure_availability, "SingleReplica");
    assert_string_equal(h->platform, "AWS");
    assert_string_equal(h->etcd_management, "Managed");
    assert_string_equal(h->etcd_storage_size, "8Gi");
    assert_string_equal(h->etcd_storage_class, "gp3-csi");
    assert_string_equal(h->kubeconfig_secret, "prod1-admin-kubeconfig");
    assert_string_equal(h->endpoint_host, "api.prod1.example.net");
    assert_true(h->has_endpoint_port);
    assert_int_equal(h->endpoint_port, 443);
    assert_string_equal(h->payload_arch, "Multi");

    const rec_version_status *v = &h->version;
    assert_true(v->present);
    assert_string_equal(v->desired.version, "4.19.3");
    assert_int_equal(v->desired.channels.n, 3);
    assert_string_equal(v->desired.channels.items[2], "stable-4.19");
    assert_int_equal(v->n_history, 1);
    assert_string_equal(v->history[0].state, "Completed");
    assert_string_equal(v->history[0].version, "4.19.3");
    assert_true(v->history[0].has_verified);
    assert_false(v->history[0].verified);
    assert_int_equal(v->history[0].started, ts("2026-05-02T10:11:40Z"));
    assert_int_equal(v->history[0].completed, ts("2026-05-02T10:39:05Z"));
    assert_true(v->has_observed_generation);
    assert_int_equal(v->observed_generation, 4);
    assert_false(v->available_updates_null);
    assert_int_equal(v->n_available_updates, 1);
    assert_string_equal(v->available_updates[0].version, "4.19.5");
    assert_int_equal(v->n_conditional_updates, 1);
    const rec_conditional_update *cu = &v->conditional_updates[0];
    assert_string_equal(cu->release.version, "4.19.4");
    assert_int_equal(cu->n_risks, 1);
    assert_string_equal(cu->risks[0].name, "OVNRouteLeak");
    assert_string_equal(cu->risks[0].url, "https://issues.example/OCPBUGS-1");
    assert_int_equal(cu->conditions.n, 1);
    assert_int_equal(cu->conditions.items[0].status, COND_FALSE);
    assert_string_equal(cu->conditions.items[0].type, "Recommended");
    assert_false(h->cp_version.present);

    assert_int_equal(h->conditions.n, 9);
    const rec_condition *c = rec_condition_find(&h->conditions, "EtcdAvailable");
    assert_non_null(c);
    assert_int_equal(c->status, COND_TRUE);
    assert_string_equal(c->reason, "QuorumAvailable");
    assert_string_equal(c->message, "");
    assert_int_equal(c->last_transition, ts("2026-05-02T10:09:31Z"));
    assert_true(c->has_observed_generation);
    assert_int_equal(c->observed_generation, 4);
    assert_int_equal(c->severity, COND_SEVERITY_NONE);
    assert_null(rec_condition_find(&h->conditions, "NoSuchCondition"));
    assert_int_equal(r->meta.truncated, 0);
    record_free(r);
}

static void test_hc_upgrading(void **state)
{
    (void)state;
    record *r = load_fixture_record(RES_HOSTEDCLUSTER, "hc_upgrading.json");
    const hc_record *h = &r->u.hc;
    assert_true(h->version.available_updates_null);
    assert_int_equal(h->version.n_available_updates, 0);
    assert_int_equal(h->version.n_history, 2);
    assert_string_equal(h->version.history[0].state, "Partial");
    assert_int_equal(h->version.history[0].completed, REC_TIME_UNKNOWN);
    assert_true(h->cp_version.present);
    assert_int_equal(h->cp_version.n_history, 2);
    assert_string_equal(h->cp_version.history[0].version, "4.19.5");
    assert_false(h->cp_version.history[0].has_verified);
    record_free(r);
}

static void test_nodepools(void **state)
{
    (void)state;
    record *r = load_fixture_record(RES_NODEPOOL, "np_healthy.json");
    const np_record *np = &r->u.np;
    assert_string_equal(np->cluster_name, "prod1");
    assert_true(np->has_replicas);
    assert_int_equal(np->replicas, 3);
    assert_false(np->has_autoscaling);
    assert_string_equal(np->upgrade_type, "Replace");
    assert_true(np->has_auto_repair);
    assert_true(np->auto_repair);
    assert_string_equal(np->replace_strategy, "RollingUpdate");
    assert_string_equal(np->max_surge, "1");
    assert_string_equal(np->max_unavailable, "0");
    assert_string_equal(np->node_drain_timeout, "10m");
    assert_string_equal(np->node_volume_detach_timeout, "5m");
    assert_string_equal(np->arch, "amd64");
    assert_string_equal(np->platform, "AWS");
    assert_true(np->has_status_replicas);
    assert_int_equal(np->status_replicas, 3);
    assert_string_equal(np->version, "4.19.5");
    assert_int_equal(np->n_node_versions, 1);
    assert_string_equal(np->node_versions[0].kubelet_version, "v1.32.6");
    assert_int_equal(np->node_versions[0].ready, 3);
    assert_int_equal(np->conditions.n, 9);
    const rec_condition *c = rec_condition_find(&np->conditions, "UpdatingVersion");
    assert_non_null(c);
    assert_null(c->message); /* absent in the object: unknown, not "" */
    record_free(r);

    r = load_fixture_record(RES_NODEPOOL, "np_autoscaled.json");
    np = &r->u.np;
    assert_false(np->has_replicas);
    assert_true(np->has_autoscaling);
    assert_true(np->has_autoscaling_min);
    assert_int_equal(np->autoscaling_min, 2);
    assert_int_equal(np->autoscaling_max, 6);
    assert_string_equal(np->upgrade_type, "InPlace");
    assert_null(np->max_surge);
    assert_string_equal(np->max_unavailable, "10%");
    assert_string_equal(np->paused_until, "true");
    assert_string_equal(np->arch, "arm64");
    assert_int_equal(np->n_node_versions, 0);
    c = rec_condition_find(&np->conditions, "Ready");
    assert_int_equal(c->status, COND_FALSE);
    assert_int_equal(c->severity, COND_SEVERITY_WARNING);
    assert_string_equal(cond_severity_name(c->severity), "Warning");
    assert_string_equal(c->reason, "WaitingForAvailableMachines");
    record_free(r);
}

static void test_pods(void **state)
{
    (void)state;
    record *r = load_fixture_record(RES_ETCD_POD, "pod_etcd_running.json");
    const pod_record *p = &r->u.pod;
    assert_string_equal(p->app_label, "etcd");
    assert_string_equal(p->control_plane_label, "clusters-prod1");
    assert_string_equal(rec_label(r, "app"), "etcd");
    assert_null(rec_label(r, "statefulset.kubernetes.io/pod-name"));
    assert_string_equal(p->phase, "Running");
    assert_string_equal(p->node_name, "ip-10-0-1-23.ec2.internal");
    assert_string_equal(p->pod_ip, "10.128.2.14");
    assert_int_equal(p->start_time, ts("2026-05-02T10:06:01Z"));
    assert_string_equal(p->data_claim, "data-etcd-0");
    assert_int_equal(p->ready, COND_TRUE);
    assert_int_equal(p->ready_since, ts("2026-05-02T10:07:02Z"));
    assert_int_equal(p->n_containers, 4);
    assert_int_equal(p->n_init_containers, 2);
    const rec_container_status *etcd = &p->containers[0];
    assert_string_equal(etcd->name, "etcd");
    assert_true(etcd->ready);
    assert_int_equal(etcd->restart_count, 1);
    assert_int_equal(etcd->state.kind, CTR_RUNNING);
    assert_int_equal(etcd->state.started_at, ts("2026-05-02T10:06:40Z"));
    assert_int_equal(etcd->last_state.kind, CTR_TERMINATED);
    assert_string_equal(etcd->last_state.reason, "Error");
    assert_true(etcd->last_state.has_exit_code);
    assert_int_equal(etcd->last_state.exit_code, 2);
    assert_int_equal(etcd->last_state.finished_at, ts("2026-05-02T10:06:39Z"));
    assert_int_equal(p->containers[1].last_state.kind, CTR_STATE_UNKNOWN);
    assert_int_equal(p->init_containers[0].state.kind, CTR_TERMINATED);
    assert_string_equal(p->init_containers[0].state.reason, "Completed");
    record_free(r);

    r = load_fixture_record(RES_ETCD_POD, "pod_etcd_crashloop.json");
    p = &r->u.pod;
    assert_int_equal(p->ready, COND_FALSE);
    assert_int_equal(p->containers[0].state.kind, CTR_WAITING);
    assert_string_equal(p->containers[0].state.reason, "CrashLoopBackOff");
    assert_non_null(strstr(p->containers[0].state.message, "back-off 5m0s"));
    assert_int_equal(p->containers[0].restart_count, 12);
    record_free(r);

    r = load_fixture_record(RES_ETCD_POD, "pod_etcd_pending.json");
    assert_string_equal(r->u.pod.phase, "Pending");
    assert_int_equal(r->u.pod.ready, COND_UNKNOWN);
    assert_null(r->u.pod.node_name);
    assert_int_equal(r->u.pod.n_containers, 0);
    record_free(r);
}

static void test_pvc_configmap_events(void **state)
{
    (void)state;
    record *r = load_fixture_record(RES_ETCD_PVC, "pvc_etcd.json");
    assert_string_equal(r->u.pvc.phase, "Bound");
    assert_string_equal(r->u.pvc.capacity, "8Gi");
    assert_string_equal(r->u.pvc.requested, "8Gi");
    assert_string_equal(r->u.pvc.storage_class, "gp3-csi");
    assert_string_equal(r->u.pvc.volume_name, "pvc-2f6d4c1e");
    assert_int_equal(r->u.pvc.access_modes.n, 1);
    assert_string_equal(r->u.pvc.access_modes.items[0], "ReadWriteOnce");
    record_free(r);

    r = load_fixture_record(RES_SUPPORTED_VERSIONS, "cm_supported_versions.json");
    assert_true(r->u.sv.versions_valid);
    assert_int_equal(r->u.sv.versions.n, 12);
    assert_string_equal(r->u.sv.versions.items[0], "5.1");
    assert_string_equal(r->u.sv.versions.items[11], "4.14");
    assert_string_equal(r->u.sv.server_version, "3ee9615d1c0b");
    record_free(r);

    r = load_fixture_record(RES_EVENT, "event_core.json");
    const event_record *e = &r->u.ev;
    assert_string_equal(e->involved_kind, "HostedCluster");
    assert_string_equal(e->involved_namespace, "clusters");
    assert_string_equal(e->involved_name, "prod1");
    assert_string_equal(e->involved_uid, "7d0c4a52-3b1e-4c8e-9a43-0f2a9b8e1c11");
    assert_string_equal(e->type, "Warning");
    assert_string_equal(e->reason, "ReconciliationError");
    assert_int_equal(e->count, 7);
    assert_int_equal(e->first_timestamp, ts("2026-06-10T09:00:13Z"));
    assert_int_equal(e->last_timestamp, ts("2026-06-10T09:20:13Z"));
    assert_int_equal(e->event_time, REC_TIME_UNKNOWN);
    assert_string_equal(e->source_component, "hypershift-operator");
    record_free(r);

    r = load_fixture_record(RES_EVENT, "event_series.json");
    e = &r->u.ev;
    assert_int_equal(e->count, 40);
    assert_int_equal(e->event_time, ts("2026-06-11T07:55:00Z"));
    assert_int_equal(e->first_timestamp, ts("2026-06-11T07:55:00Z"));
    assert_int_equal(e->last_timestamp, ts("2026-06-11T08:01:04Z"));
    assert_string_equal(e->source_component, "kubelet");
    assert_string_equal(e->involved_kind, "Pod");
    record_free(r);
}

static void test_condition_severity(void **state)
{
    (void)state;
    const char *text = "{\"metadata\":{\"name\":\"np\"},\"status\":{\"conditions\":["
                       "{\"type\":\"A\",\"severity\":\"Error\"},{\"type\":\"B\",\"severity\":\"Info\"},"
                       "{\"type\":\"C\",\"severity\":\"Fatal\"},{\"type\":\"D\",\"severity\":\"\"},"
                       "{\"type\":\"E\",\"severity\":3}]}}";
    record *r = decode_json_text(RES_NODEPOOL, text, strlen(text));
    const rec_conditions *cs = &r->u.np.conditions;
    assert_int_equal(cs->n, 5);
    assert_int_equal(cs->items[0].severity, COND_SEVERITY_ERROR);
    assert_int_equal(cs->items[1].severity, COND_SEVERITY_INFO);
    assert_int_equal(cs->items[2].severity, COND_SEVERITY_OTHER);
    assert_string_equal(cond_severity_name(cs->items[2].severity), "other");
    assert_int_equal(cs->items[3].severity, COND_SEVERITY_NONE);
    assert_string_equal(cond_severity_name(cs->items[3].severity), "");
    assert_int_equal(cs->items[4].severity, COND_SEVERITY_NONE);
    assert_string_equal(cond_severity_name(COND_SEVERITY_ERROR), "Error");
    record_free(r);
}

/* Every decoder on an object whose every field has the wrong type: records of unknowns, no crash. */
static void test_hostile_types(void **state)
{
    (void)state;
    size_t len;
    char *text = read_json_fixture("hostile_types.json", &len);
    for (int k = 0; k < RES_KIND_COUNT; k++) {
        record *r = decode_json_text((res_kind)k, text, len);
        assert_non_null(r);
        assert_null(r->meta.name);
        assert_null(r->meta.namespace);
        assert_null(r->meta.resource_version);
        assert_false(r->meta.has_generation);
        assert_int_equal(r->meta.created, REC_TIME_UNKNOWN);
        assert_int_equal(r->meta.n_labels, 0);
        assert_int_equal(r->meta.n_annotations, 0); /* non-string values are not kept */
        record_free(r);
    }
    record *r = decode_json_text(RES_HOSTEDCLUSTER, text, len);
    const hc_record *h = &r->u.hc;
    assert_null(h->release_image);
    assert_null(h->channel);
    assert_null(h->paused_until);
    assert_null(h->platform);
    assert_null(h->controller_availability);
    assert_true(h->version.present);
    assert_null(h->version.desired.version);
    assert_int_equal(h->version.n_history, 0);
    assert_true(h->version.available_updates_null);
    assert_int_equal(h->version.n_conditional_updates, 1); /* the one object entry, all unknown inside */
    assert_null(h->version.conditional_updates[0].release.version);
    assert_int_equal(h->version.conditional_updates[0].n_risks, 0);
    assert_false(h->cp_version.present);
    assert_null(h->kubeconfig_secret);
    assert_int_equal(h->conditions.n, 2); /* non-objects skipped */
    assert_null(h->conditions.items[0].type);
    assert_int_equal(h->conditions.items[0].status, COND_UNKNOWN);
    assert_false(h->conditions.items[0].has_observed_generation);
    assert_int_equal(h->conditions.items[1].status, COND_UNKNOWN); /* "Maybe" */
    record_free(r);

    r = decode_json_text(RES_NODEPOOL, text, len);
    assert_null(r->u.np.cluster_name);
    assert_false(r->u.np.has_replicas);
    assert_false(r->u.np.has_autoscaling);
    assert_false(r->u.np.has_auto_repair);
    assert_null(r->u.np.max_surge); /* 1.5 is no IntOrString */
    assert_null(r->u.np.max_unavailable);
    assert_false(r->u.np.has_status_replicas); /* 1e300 is no int32 */
    assert_int_equal(r->u.np.n_node_versions, 1);
    assert_int_equal(r->u.np.node_versions[0].ready, 0);
    record_free(r);

    r = decode_json_text(RES_ETCD_POD, text, len);
    assert_null(r->u.pod.phase);
    assert_null(r->u.pod.data_claim);
    assert_int_equal(r->u.pod.n_containers, 1);
    assert_null(r->u.pod.containers[0].name);
    assert_false(r->u.pod.containers[0].ready);
    assert_int_equal(r->u.pod.containers[0].restart_count, 0);
    assert_int_equal(r->u.pod.containers[0].state.kind, CTR_STATE_UNKNOWN);
    record_free(r);

    r = decode_json_text(RES_SUPPORTED_VERSIONS, text, len);
    assert_false(r->u.sv.versions_valid); /* an object where a JSON string belongs */
    assert_null(r->u.sv.server_version);
    record_free(r);

    r = decode_json_text(RES_EVENT, text, len);
    assert_null(r->u.ev.involved_name);
    assert_int_equal(r->u.ev.count, 1);
    assert_null(r->u.ev.source_component);
    record_free(r);
    free(text);
}

static void test_not_objects(void **state)
{
    (void)state;
    const char *bad[] = {"", "null", "[]", "[{\"kind\":\"Pod\"}]", "\"text\"", "42", "{", "{\"a\":}", "{}}", "\xff\xfe"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        for (int k = 0; k < RES_KIND_COUNT; k++)
            assert_null(decode_json_text((res_kind)k, bad[i], strlen(bad[i])));
    assert_null(decode_json_text(RES_KIND_COUNT, "{}", 2));
    assert_null(decode_json_text(RES_HOSTEDCLUSTER, NULL, 0));
    assert_null(decode_object(RES_HOSTEDCLUSTER, NULL));
    /* an empty object: every field unknown */
    record *r = decode_json_text(RES_HOSTEDCLUSTER, "{}", 2);
    assert_non_null(r);
    assert_null(r->meta.name);
    assert_false(r->u.hc.version.present);
    assert_true(r->u.hc.version.available_updates_null);
    assert_int_equal(r->u.hc.conditions.n, 0);
    record_free(r);
    assert_ptr_equal(kind_info_of(RES_NODEPOOL)->decode, decode_nodepool);
}

/* Control characters, escape sequences and NULs are data: stored as they came (up to a NUL). */
static void test_control_characters(void **state)
{
    (void)state;
    record *r = load_fixture_record(RES_HOSTEDCLUSTER, "hostile_controls.json");
    assert_string_equal(r->meta.name, "evil\x1b[2J\x07");
    assert_string_equal(r->u.hc.channel, "stable-4.19\r\n\x1b]0;pwned\x07");
    const rec_condition *c = rec_condition_find(&r->u.hc.conditions, "Available");
    assert_non_null(c);
    assert_string_equal(c->reason, "Bad\x1b[31m");
    assert_non_null(strstr(c->message, "line1\nline2\ttab"));
    assert_non_null(strstr(c->message, "\xe2\x80\xae")); /* U+202E kept as UTF-8 */
    assert_null(strstr(c->message, "after-nul"));      /* a \u0000 ends the C string */
    assert_string_equal(r->meta.namespace, "clusters");
    record_free(r);
}

/* 100 KB messages are cut to REC_MAX_STRING at a UTF-8 boundary; 10,000 conditions to 100. */
static void test_huge_inputs(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    buf_puts(&b, "{\"metadata\":{\"name\":\"big\",\"namespace\":\"clusters\"},\"status\":{\"conditions\":[");
    for (int i = 0; i < 10000; i++)
        buf_printf(&b, "%s{\"type\":\"T%d\",\"status\":\"True\",\"message\":\"m%d\"}", i ? "," : "", i, i);
    buf_puts(&b, "],\"version\":{\"history\":[");
    for (int i = 0; i < 5000; i++)
        buf_printf(&b, "%s{\"state\":\"Completed\",\"version\":\"4.%d.0\"}", i ? "," : "", i);
    buf_puts(&b, "]}},\"spec\":{\"channel\":\"");
    for (int i = 0; i < 50000; i++)
        buf_puts(&b, "\xc3\xa9"); /* 100 KB of 2-byte characters */
    buf_puts(&b, "\"}}");
    record *r = decode_json_text(RES_HOSTEDCLUSTER, b.data, b.len);
    assert_non_null(r);
    assert_int_equal(r->u.hc.conditions.n, REC_MAX_CONDITIONS);
    assert_string_equal(r->u.hc.conditions.items[99].type, "T99");
    assert_int_equal(r->u.hc.version.n_history, REC_MAX_HISTORY);
    size_t clen = strlen(r->u.hc.channel);
    assert_true(clen <= REC_MAX_STRING);
    assert_true(clen >= REC_MAX_STRING - 1);
    assert_int_equal(clen % 2, 0); /* no half character */
    assert_true(r->meta.truncated >= (10000 - 100) + (5000 - 100) + 1);
    assert_true(r->arena_bytes < 64 * 1024);
    record_free(r);
    buf_free(&b);

    /* nesting: 100 conditional updates of 100 conditions with 4 KB messages stops at the record budget */
    buf_reset(&b);
    char msg[4200];
    memset(msg, 'm', 4100);
    msg[4100] = '\0';
    buf_puts(&b, "{\"metadata\":{\"name\":\"nest\"},\"status\":{\"version\":{\"conditionalUpdates\":[");
    for (int u = 0; u < 100; u++) {
        buf_printf(&b, "%s{\"release\":{\"version\":\"4.%d.0\"},\"conditions\":[", u ? "," : "", u);
        for (int c = 0; c < 100; c++)
            buf_printf(&b, "%s{\"type\":\"T%d\",\"message\":\"%s\"}", c ? "," : "", c, msg);
        buf_puts(&b, "]}");
    }
    buf_puts(&b, "]}}}");
    r = decode_json_text(RES_HOSTEDCLUSTER, b.data, b.len);
    assert_non_null(r);
    assert_string_equal(r->meta.name, "nest");
    assert_true(r->arena_bytes < REC_MAX_BYTES + 64 * 1024);
    assert_true(r->meta.truncated > 0);
    assert_true(r->u.hc.version.n_conditional_updates >= 1);
    assert_int_equal(strlen(r->u.hc.version.conditional_updates[0].conditions.items[0].message), REC_MAX_STRING);
    record_free(r);

    /* a hostile supported-versions string */
    buf_reset(&b);
    buf_puts(&b, "{\"metadata\":{\"name\":\"supported-versions\"},\"data\":{\"supported-versions\":\"{\\\"versions\\\":[");
    for (int i = 0; i < 1000; i++)
        buf_printf(&b, "%s\\\"4.%d\\\"", i ? "," : "", i);
    buf_puts(&b, "]}\"}}");
    r = decode_json_text(RES_SUPPORTED_VERSIONS, b.data, b.len);
    assert_true(r->u.sv.versions_valid);
    assert_int_equal(r->u.sv.versions.n, REC_MAX_VERSIONS);
    record_free(r);
    const char *broken = "{\"data\":{\"supported-versions\":\"{\\\"versions\\\":[\\\"4.19\\\"\"}}";
    r = decode_json_text(RES_SUPPORTED_VERSIONS, broken, strlen(broken));
    assert_false(r->u.sv.versions_valid);
    record_free(r);
    buf_free(&b);
}

/* Well-known strings are shared constants; others are copies in the record. */
static void test_arena_and_interning(void **state)
{
    (void)state;
    record *a = load_fixture_record(RES_NODEPOOL, "np_healthy.json");
    record *b = load_fixture_record(RES_NODEPOOL, "np_healthy.json");
    const rec_condition *ca = rec_condition_find(&a->u.np.conditions, "AllMachinesReady");
    const rec_condition *cb = rec_condition_find(&b->u.np.conditions, "AllMachinesReady");
    assert_ptr_equal(ca->type, cb->type);
    assert_ptr_equal(ca->message, cb->message); /* "All is well" */
    assert_ptr_not_equal(a->meta.name, b->meta.name);
    record_free(a);
    record_free(b);
    record_free(NULL);

    record *r = record_new(RES_EVENT);
    for (int i = 0; i < 1000; i++) {
        char *p = record_alloc(r, 100, 1);
        memset(p, 'x', 100);
    }
    assert_true(r->arena_bytes >= 100000);
    assert_null(record_str(r, NULL));
    record_free(r);
}

/* Runs every derived fact on a record of whatever shape: they must cope as the decoders do. */
static void exercise_derived(const record *r)
{
    record *const one[1] = {(record *)r};
    char words[64];
    etcd_quorum q = derive_etcd_quorum(r, one, 1);
    assert_true(strlen(derive_hc_health(r, &q, 1780000000).words) < 128);
    assert_true(strlen(derive_upgrade(r, 1780000000).words) < 128);
    assert_true(strlen(derive_etcd_member(r).words) < 96);
    assert_true(strlen(derive_np_skew(r, r).words) < 64);
    derive_supported(r, r->kind == RES_NODEPOOL ? r->u.np.version : "4.19.3", words, sizeof words);
    if (r->kind == RES_HOSTEDCLUSTER)
        assert_true(strlen(derive_paused(r->u.hc.paused_until, 1780000000).words) < 96);
}

/* The n-th node of a tree in depth-first order, with its parent (NULL when there are fewer). */
static cJSON *nth_node(cJSON *parent, int *n, cJSON **parent_out)
{
    cJSON *it;
    cJSON_ArrayForEach(it, parent) {
        if ((*n)-- == 0) {
            *parent_out = parent;
            return it;
        }
        cJSON *hit = nth_node(it, n, parent_out);
        if (hit)
            return hit;
    }
    return NULL;
}

/* Every node of every fixture, replaced in turn by each wrong type, through every decoder: no crash,
 * no leak (under the sanitizers), and the untouched identity still decodes. */
static void test_every_field_mistyped(void **state)
{
    (void)state;
    const char *files[] = {"hc_healthy.json", "hc_upgrading.json", "np_healthy.json", "np_autoscaled.json",
                           "pod_etcd_running.json", "pvc_etcd.json", "cm_supported_versions.json",
                           "event_series.json"};
    size_t decoded = 0;
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        size_t len;
        char *text = read_json_fixture(files[f], &len);
        cJSON *orig = json_parse_len(text, len);
        free(text);
        assert_non_null(orig);
        for (int i = 0;; i++) {
            cJSON *copy = cJSON_Duplicate(orig, true);
            int n = i;
            cJSON *parent = NULL;
            cJSON *node = nth_node(copy, &n, &parent);
            if (!node) {
                cJSON_Delete(copy);
                break;
            }
            for (int v = 0; v < 6; v++) {
                cJSON *bad = v == 0   ? cJSON_CreateNull()
                             : v == 1 ? cJSON_CreateNumber(-1e308)
                             : v == 2 ? cJSON_CreateString("\x1b[2J")
                             : v == 3 ? cJSON_CreateArray()
                             : v == 4 ? cJSON_CreateObject()
                                      : cJSON_CreateTrue();
                assert_true(cJSON_ReplaceItemViaPointer(parent, node, bad));
                node = bad;
                for (int k = 0; k < RES_KIND_COUNT; k++) {
                    record *r = decode_object((res_kind)k, copy);
                    assert_non_null(r);
                    exercise_derived(r);
                    record_free(r);
                    decoded++;
                }
            }
            cJSON_Delete(copy);
        }
        cJSON_Delete(orig);
    }
    assert_true(decoded > 10000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hc_healthy),
        cmocka_unit_test(test_hc_upgrading),
        cmocka_unit_test(test_nodepools),
        cmocka_unit_test(test_pods),
        cmocka_unit_test(test_pvc_configmap_events),
        cmocka_unit_test(test_condition_severity),
        cmocka_unit_test(test_hostile_types),
        cmocka_unit_test(test_not_objects),
        cmocka_unit_test(test_control_characters),
        cmocka_unit_test(test_huge_inputs),
        cmocka_unit_test(test_arena_and_interning),
        cmocka_unit_test(test_every_field_mistyped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
