/* Derived facts, each rule with a fixed `now` (and TZ=UTC for the local-time words). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client/decode.h"
#include "client/derive.h"
#include "common/buf.h"
#include "common/timeutil.h"
#include "json_fixture.h"

static record *parse(res_kind kind, const char *json)
{
    record *r = decode_json_text(kind, json, strlen(json));
    assert_non_null(r);
    return r;
}

static time_t ts(const char *s)
{
    time_t t;
    assert_true(rfc3339_parse(s, &t));
    return t;
}

static int setup_utc(void **state)
{
    (void)state;
    setenv("TZ", "UTC", 1);
    tzset();
    return 0;
}

/* ---- versions ---- */

static void test_version_parse(void **state)
{
    (void)state;
    ocp_version v;
    assert_true(version_parse("4.19.3", &v));
    assert_int_equal(v.major, 4);
    assert_int_equal(v.minor, 19);
    assert_int_equal(v.patch, 3);
    assert_true(v.has_patch);
    assert_string_equal(v.pre, "");
    assert_true(version_parse("4.19.3-multi", &v));
    assert_string_equal(v.pre, ""); /* an architecture, not a prerelease */
    assert_true(version_parse("4.20.0-rc.1", &v));
    assert_int_equal(v.minor, 20);
    assert_string_equal(v.pre, "rc.1");
    assert_true(version_parse("4.19", &v));
    assert_false(v.has_patch);
    assert_true(version_parse("v1.32.6", &v));
    assert_int_equal(v.major, 1);
    assert_true(version_parse("4.19.3+build.5", &v));
    assert_int_equal(v.patch, 3);
    const char *bad[] = {"", "4", "4.", ".19", "4.x", "4.19.", "4.19.3-", "4.19.3+", "4.19.3 ", "four.19",
                         "4.19.3-rc.1\x1b[2J", "99999999.1.1", "4..3", "-4.19.3"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(version_parse(bad[i], &v));
    assert_false(version_parse(NULL, &v));
}

static int cmpv(const char *a, const char *b)
{
    ocp_version x, y;
    assert_true(version_parse(a, &x));
    assert_true(version_parse(b, &y));
    int c = version_compare(&x, &y);
    return (c > 0) - (c < 0);
}

static void test_version_compare(void **state)
{
    (void)state;
    assert_int_equal(cmpv("4.19.3", "4.19.3-multi"), 0);
    assert_int_equal(cmpv("4.19.10", "4.19.9"), 1);
    assert_int_equal(cmpv("4.9.0", "4.10.0"), -1);
    assert_int_equal(cmpv("5.0.0", "4.23.9"), 1);
    assert_int_equal(cmpv("4.20.0-rc.1", "4.20.0"), -1);
    assert_int_equal(cmpv("4.20.0-rc.2", "4.20.0-rc.10"), -1);
    assert_int_equal(cmpv("4.20.0-ec.3", "4.20.0-rc.1"), -1);
    assert_int_equal(cmpv("4.20.0-rc.1", "4.20.0-rc.1.1"), -1);
    assert_int_equal(cmpv("4.19", "4.19.0"), 0);
    assert_int_equal(cmpv("4.19.3", "4.19.3"), 0);
    ocp_version v;
    version_parse("5.1.0", &v);
    assert_int_equal(version_minor_index(&v), 24);
    version_parse("4.19.0", &v);
    assert_int_equal(version_minor_index(&v), 19);
    version_parse("1.32.0", &v);
    assert_int_equal(version_minor_index(&v), -1);
}

/* The order of version texts: as versions where they parse, as text where they do not or tie. */
static void test_version_order(void **state)
{
    (void)state;
    assert_true(version_order("4.19.10", "4.19.9") > 0);
    assert_true(version_order("4.20.0-ec.3", "4.20.0-rc.1") < 0);
    assert_true(version_order("4.19.3-multi", "4.19.3") < 0); /* one version, two texts: still ordered */
    assert_true(version_order("4.19", "4.19.0") < 0);
    assert_int_equal(version_order("v4.19.3", "4.19.3"), 0);
    assert_true(version_order("nightly-2", "nightly-10") < 0); /* no version: digit runs as numbers */
    assert_true(version_order(NULL, "") == 0);
    assert_true(version_order("", "4.1") < 0);
}

static void test_cp_namespace(void **state)
{
    (void)state;
    char out[CP_NAMESPACE_MAX];
    assert_true(control_plane_namespace("clusters", "prod1", out, sizeof out));
    assert_string_equal(out, "clusters-prod1");
    assert_true(control_plane_namespace("my.ns", "dev.team.1", out, sizeof out));
    assert_string_equal(out, "my.ns-dev-team-1"); /* only the name's dots change */
    char small[8];
    assert_false(control_plane_namespace("clusters", "prod1", small, sizeof small));
    assert_string_equal(small, "");
    assert_false(control_plane_namespace(NULL, "x", out, sizeof out));
    assert_false(control_plane_namespace("x", "", out, sizeof out));
}

static void test_polarity(void **state)
{
    (void)state;
    assert_int_equal(derive_condition_polarity(RES_HOSTEDCLUSTER, "Available"), POLARITY_GOOD_TRUE);
    assert_int_equal(derive_condition_polarity(RES_HOSTEDCLUSTER, "Degraded"), POLARITY_GOOD_FALSE);
    assert_int_equal(derive_condition_polarity(RES_HOSTEDCLUSTER, "ClusterVersionProgressing"), POLARITY_GOOD_FALSE);
    assert_int_equal(derive_condition_polarity(RES_HOSTEDCLUSTER, "SomethingNew"), POLARITY_UNKNOWN);
    assert_int_equal(derive_condition_polarity(RES_NODEPOOL, "UpdatingVersion"), POLARITY_GOOD_FALSE);
    assert_int_equal(derive_condition_polarity(RES_NODEPOOL, "AutoscalingEnabled"), POLARITY_INFO);
    assert_int_equal(derive_condition_polarity(RES_NODEPOOL, "ClusterNetworkCIDRConflict"), POLARITY_GOOD_FALSE);
    assert_int_equal(derive_condition_polarity(RES_NODEPOOL, NULL), POLARITY_UNKNOWN);
    rec_condition c = {.type = "Available", .status = COND_FALSE};
    assert_true(derive_condition_bad(RES_HOSTEDCLUSTER, &c));
    c.status = COND_UNKNOWN;
    assert_false(derive_condition_bad(RES_HOSTEDCLUSTER, &c));
    c.type = "Degraded";
    c.status = COND_TRUE;
    assert_true(derive_condition_bad(RES_HOSTEDCLUSTER, &c));
    c.type = "AutorepairEnabled";
    assert_false(derive_condition_bad(RES_NODEPOOL, &c));
    assert_false(derive_condition_bad(RES_NODEPOOL, NULL));
}

/* ---- pausedUntil ---- */

static void test_paused(void **state)
{
    (void)state;
    time_t now = ts("2026-07-03T20:48:00Z");
    pause_info p = derive_paused("2026-07-04T00:00:00Z", now);
    assert_int_equal(p.state, PAUSE_UNTIL);
    assert_true(pause_is_paused(&p));
    assert_int_equal(p.seconds_left, 3 * 3600 + 12 * 60);
    assert_int_equal(p.until, ts("2026-07-04T00:00:00Z"));
    assert_string_equal(p.words, "paused until 2026-07-04 00:00 UTC (3h12m left)");

    p = derive_paused("2026-07-04T02:00:00+02:00", now); /* same instant, another offset */
    assert_int_equal(p.seconds_left, 3 * 3600 + 12 * 60);

    p = derive_paused("2026-07-01T00:00:00Z", now);
    assert_int_equal(p.state, PAUSE_EXPIRED);
    assert_false(pause_is_paused(&p));
    assert_string_equal(p.words, "pause ended 2026-07-01 00:00 UTC");
    p = derive_paused("2026-07-03T20:48:00Z", now); /* exactly now: over */
    assert_int_equal(p.state, PAUSE_EXPIRED);

    const char *yes[] = {"true", "True", "TRUE", "t", "T", "1"};
    for (size_t i = 0; i < 6; i++) {
        p = derive_paused(yes[i], now);
        assert_int_equal(p.state, PAUSE_INDEFINITE);
        assert_true(pause_is_paused(&p));
        assert_string_equal(p.words, "paused until removed");
    }
    const char *no[] = {"false", "False", "FALSE", "f", "F", "0", "", NULL};
    for (size_t i = 0; i < 8; i++) {
        p = derive_paused(no[i], now);
        assert_int_equal(p.state, PAUSE_NONE);
        assert_false(pause_is_paused(&p));
    }
    const char *invalid[] = {"yes", "tRuE", "2026-07-04", "2026-07-04 00:00:00Z", "soon", "\x1b[2J"};
    for (size_t i = 0; i < 6; i++) {
        p = derive_paused(invalid[i], now);
        assert_int_equal(p.state, PAUSE_INVALID);
        assert_false(pause_is_paused(&p));
        assert_non_null(strstr(p.words, "not paused"));
    }
    /* a long hostile value is cut in the words */
    char longv[300];
    memset(longv, 'x', sizeof longv - 1);
    longv[sizeof longv - 1] = '\0';
    p = derive_paused(longv, now);
    assert_int_equal(p.state, PAUSE_INVALID);
    assert_true(strlen(p.words) < sizeof p.words);

    /* local time: the words follow TZ */
    setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3", 1); /* POSIX rule: no tzdata needed */
    tzset();
    p = derive_paused("2026-07-04T00:00:00Z", now);
    assert_string_equal(p.words, "paused until 2026-07-04 02:00 CEST (3h12m left)");
    setenv("TZ", "UTC", 1);
    tzset();
    p = derive_paused("2026-07-10T00:00:00Z", now);
    assert_string_equal(p.words, "paused until 2026-07-10 00:00 UTC (6d3h left)");
}

/* ---- etcd ---- */

static void test_etcd_member(void **state)
{
    (void)state;
    record *ok = load_fixture_record(RES_ETCD_POD, "pod_etcd_running.json");
    etcd_member m = derive_etcd_member(ok);
    assert_true(m.healthy);
    assert_false(m.crashlooping);
    assert_int_equal(m.restarts, 1);
    assert_int_equal(m.last_restart, ts("2026-05-02T10:06:39Z"));
    assert_string_equal(m.words, "Running");
    record_free(ok);

    record *crash = load_fixture_record(RES_ETCD_POD, "pod_etcd_crashloop.json");
    m = derive_etcd_member(crash);
    assert_false(m.healthy);
    assert_true(m.crashlooping);
    assert_int_equal(m.restarts, 12);
    assert_string_equal(m.reason, "CrashLoopBackOff");
    assert_int_equal(m.last_restart, ts("2026-06-11T08:01:03Z"));
    assert_string_equal(m.words, "CrashLoopBackOff (12 restarts)");
    record_free(crash);

    record *pending = load_fixture_record(RES_ETCD_POD, "pod_etcd_pending.json");
    m = derive_etcd_member(pending);
    assert_false(m.healthy);
    assert_string_equal(m.words, "Pending");
    record_free(pending);

    record *term = parse(RES_ETCD_POD, "{\"metadata\":{\"name\":\"etcd-0\",\"deletionTimestamp\":\"2026-06-11T08:00:00Z\"},"
                                       "\"status\":{\"phase\":\"Running\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}");
    m = derive_etcd_member(term);
    assert_false(m.healthy);
    assert_string_equal(m.words, "Terminating");
    record_free(term);

    /* no Ready condition: the etcd container's readiness decides */
    record *noready = parse(RES_ETCD_POD, "{\"metadata\":{\"name\":\"etcd-0\"},\"status\":{\"phase\":\"Running\","
                                          "\"containerStatuses\":[{\"name\":\"etcd\",\"ready\":true,\"state\":{\"running\":{}}}]}}");
    assert_true(derive_etcd_member(noready).healthy);
    record_free(noready);
    record *notready = parse(RES_ETCD_POD, "{\"metadata\":{\"name\":\"etcd-0\"},\"status\":{\"phase\":\"Running\","
                                           "\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\"}]}}");
    m = derive_etcd_member(notready);
    assert_false(m.healthy);
    assert_string_equal(m.words, "Running, not ready");
    record_free(notready);
    /* waiting with restarts but another reason still counts as crash-looping (the operator's recovery rule) */
    record *waiting = parse(RES_ETCD_POD, "{\"metadata\":{\"name\":\"etcd-2\"},\"status\":{\"phase\":\"Running\","
                                          "\"containerStatuses\":[{\"name\":\"etcd\",\"restartCount\":3,"
                                          "\"state\":{\"waiting\":{\"reason\":\"RunContainerError\"}}}]}}");
    m = derive_etcd_member(waiting);
    assert_true(m.crashlooping);
    assert_string_equal(m.words, "RunContainerError (3 restarts)");
    record_free(waiting);
    m = derive_etcd_member(NULL);
    assert_false(m.healthy);
    assert_string_equal(m.words, "unknown");
}

static record *mk_pod(const char *name, bool healthy)
{
    char text[512];
    snprintf(text, sizeof text,
             "{\"metadata\":{\"namespace\":\"clusters-prod1\",\"name\":\"%s\"},\"status\":{\"phase\":\"%s\","
             "\"conditions\":[{\"type\":\"Ready\",\"status\":\"%s\"}]}}",
             name, healthy ? "Running" : "Pending", healthy ? "True" : "False");
    return parse(RES_ETCD_POD, text);
}

static void test_etcd_quorum(void **state)
{
    (void)state;
    record *hc = load_fixture_record(RES_HOSTEDCLUSTER, "hc_healthy.json"); /* HighlyAvailable */
    record *pods[4] = {mk_pod("etcd-0", true), mk_pod("etcd-1", true), mk_pod("etcd-2", true), NULL};

    etcd_quorum q = derive_etcd_quorum(hc, pods, 3);
    assert_int_equal(q.state, QUORUM_HEALTHY);
    assert_int_equal(q.expected, 3);
    assert_int_equal(q.majority, 2);
    assert_int_equal(q.healthy, 3);
    assert_string_equal(q.words, "3/3 healthy");

    record_free(pods[2]);
    pods[2] = mk_pod("etcd-2", false);
    q = derive_etcd_quorum(hc, pods, 3);
    assert_int_equal(q.state, QUORUM_AT_RISK);
    assert_string_equal(q.words, "2/3 healthy: quorum held, one failure from loss");

    record_free(pods[1]);
    pods[1] = load_fixture_record(RES_ETCD_POD, "pod_etcd_crashloop.json");
    q = derive_etcd_quorum(hc, pods, 3);
    assert_int_equal(q.state, QUORUM_LOST);
    assert_string_equal(q.words, "1/3 healthy: QUORUM LOST");
    assert_int_equal(q.crashlooping, 1);
    assert_string_equal(q.crashloop_member, "etcd-1");
    assert_int_equal(q.restarts, 12);
    assert_int_equal(q.last_restart, ts("2026-06-11T08:01:03Z"));

    /* a missing member counts against quorum when the policy says 3 */
    record_free(pods[1]);
    pods[1] = mk_pod("etcd-1", true);
    q = derive_etcd_quorum(hc, pods, 2);
    assert_int_equal(q.seen, 2);
    assert_int_equal(q.state, QUORUM_AT_RISK);

    /* without the HC, the pods seen are the expectation */
    q = derive_etcd_quorum(NULL, pods, 2);
    assert_int_equal(q.expected, 2);
    assert_int_equal(q.majority, 2);
    assert_int_equal(q.state, QUORUM_HEALTHY);
    q = derive_etcd_quorum(NULL, pods, 0);
    assert_int_equal(q.state, QUORUM_UNKNOWN);

    /* SingleReplica: one member */
    record *single = load_fixture_record(RES_HOSTEDCLUSTER, "hc_paused.json");
    q = derive_etcd_quorum(single, pods, 1);
    assert_int_equal(q.expected, 1);
    assert_int_equal(q.majority, 1);
    assert_string_equal(q.words, "1/1 healthy: a single member, no fault tolerance");
    q = derive_etcd_quorum(single, &pods[2], 1);
    assert_int_equal(q.state, QUORUM_LOST);
    assert_string_equal(q.words, "0/1 healthy: QUORUM LOST");
    /* a stray extra pod cannot add votes */
    record *five[5] = {pods[0], pods[1], pods[0], pods[1], pods[0]};
    q = derive_etcd_quorum(hc, five, 5);
    assert_int_equal(q.healthy, 3);
    assert_int_equal(q.state, QUORUM_HEALTHY);

    record *unmanaged = parse(RES_HOSTEDCLUSTER, "{\"metadata\":{\"name\":\"u\"},\"spec\":{\"etcd\":{\"managementType\":\"Unmanaged\"}}}");
    q = derive_etcd_quorum(unmanaged, pods, 2);
    assert_int_equal(q.state, QUORUM_UNKNOWN);
    assert_string_equal(q.words, "unmanaged etcd");
    record_free(unmanaged);
    record_free(single);
    for (int i = 0; i < 3; i++)
        record_free(pods[i]);
    record_free(hc);
}

/* ---- upgrades ---- */

static void test_upgrade(void **state)
{
    (void)state;
    time_t now = ts("2026-06-10T09:12:12Z");
    record *hc = load_fixture_record(RES_HOSTEDCLUSTER, "hc_healthy.json");
    upgrade_info u = derive_upgrade(hc, now);
    assert_string_equal(u.current, "4.19.3");
    assert_null(u.cp_current);
    assert_string_equal(u.desired, "4.19.3");
    assert_string_equal(u.progress, "Completed");
    assert_false(u.in_progress);
    assert_false(u.blocked);
    assert_int_equal(u.percent, -1);
    assert_string_equal(u.words, "4.19.3");
    record_free(hc);

    hc = load_fixture_record(RES_HOSTEDCLUSTER, "hc_upgrading.json");
    u = derive_upgrade(hc, now);
    assert_string_equal(u.current, "4.19.3");   /* the CRD's Version column */
    assert_string_equal(u.cp_current, "4.19.5"); /* CP Version */
    assert_string_equal(u.progress, "Partial");
    assert_true(u.in_progress);
    assert_string_equal(u.target, "4.19.5");
    assert_int_equal(u.percent, 56);
    assert_int_equal(u.done, 512);
    assert_int_equal(u.total, 905);
    assert_int_equal(u.started, ts("2026-06-10T09:00:12Z"));
    assert_int_equal(u.elapsed_seconds, 720);
    assert_string_equal(u.words, "4.19.3 -> 4.19.5 56% (512 of 905)");
    record_free(hc);

    /* no progress message: elapsed time instead of a percentage */
    hc = parse(RES_HOSTEDCLUSTER, "{\"metadata\":{\"name\":\"x\"},\"status\":{\"version\":{\"history\":["
                                  "{\"state\":\"Partial\",\"version\":\"4.20.1\",\"startedTime\":\"2026-06-10T09:00:12Z\"},"
                                  "{\"state\":\"Completed\",\"version\":\"4.19.5\",\"completionTime\":\"2026-06-01T00:00:00Z\"}]}}}");
    u = derive_upgrade(hc, now);
    assert_int_equal(u.percent, -1);
    assert_string_equal(u.words, "4.19.5 -> 4.20.1, running 12m");
    record_free(hc);

    /* an install (nothing completed yet), percent only */
    hc = parse(RES_HOSTEDCLUSTER, "{\"metadata\":{\"name\":\"x\"},\"status\":{\"version\":{\"history\":["
                                  "{\"state\":\"Partial\",\"version\":\"4.20.1\"}]},\"conditions\":[{\"type\":"
                                  "\"ClusterVersionProgressing\",\"status\":\"True\",\"message\":\"Working towards 4.20.1: 7% complete\"}]}}");
    u = derive_upgrade(hc, now);
    assert_null(u.current);
    assert_int_equal(u.percent, 7);
    assert_int_equal(u.total, -1);
    assert_string_equal(u.words, "installing 4.20.1 7%");
    record_free(hc);

    /* hostile progress messages are not believed */
    const char *msgs[] = {"512 of 0 done", "900 of 10 done (950% complete)", "of done", "99999999999999999999 of 5 done",
                          "92233720368547759 of 92233720368547759 done"};
    for (size_t i = 0; i < sizeof msgs / sizeof msgs[0]; i++) {
        char text[512];
        snprintf(text, sizeof text,
                 "{\"metadata\":{\"name\":\"x\"},\"status\":{\"version\":{\"history\":[{\"state\":\"Partial\"}]},"
                 "\"conditions\":[{\"type\":\"ClusterVersionProgressing\",\"status\":\"True\",\"message\":\"%s\"}]}}",
                 msgs[i]);
        hc = parse(RES_HOSTEDCLUSTER, text);
        u = derive_upgrade(hc, now);
        assert_true(u.percent >= -1 && u.percent <= 100);
        assert_int_equal(u.total, -1);
        record_free(hc);
    }

    hc = load_fixture_record(RES_HOSTEDCLUSTER, "hc_blocked.json");
    u = derive_upgrade(hc, now);
    assert_true(u.blocked);
    assert_string_equal(u.blocked_by, "ClusterVersionUpgradeable");
    assert_string_equal(u.blocked_message, "ClusterVersionUpgradeable condition is false: cluster version is not upgradeable");
    assert_string_equal(u.words, "blocked by ClusterVersionUpgradeable");
    record_free(hc);

    hc = load_fixture_record(RES_HOSTEDCLUSTER, "hc_downgrade.json");
    u = derive_upgrade(hc, now);
    assert_true(u.blocked);
    assert_string_equal(u.blocked_by, "ValidReleaseImage");
    assert_null(u.current);
    record_free(hc);

    u = derive_upgrade(NULL, now);
    assert_string_equal(u.words, "unknown");
}

/* ---- overall health ---- */

static void test_health(void **state)
{
    (void)state;
    time_t now = ts("2026-07-03T20:48:00Z");
    record *hc = load_fixture_record(RES_HOSTEDCLUSTER, "hc_healthy.json");
    hc_health h = derive_hc_health(hc, NULL, now);
    assert_int_equal(h.level, HEALTH_OK);
    assert_string_equal(h.words, "healthy");
    assert_string_equal(health_level_name(h.level), "OK");

    etcd_quorum q = {.state = QUORUM_AT_RISK};
    snprintf(q.words, sizeof q.words, "2/3 healthy: quorum held, one failure from loss");
    h = derive_hc_health(hc, &q, now);
    assert_int_equal(h.level, HEALTH_WARNING);
    assert_string_equal(h.words, "etcd 2/3 healthy: quorum held, one failure from loss");
    q.state = QUORUM_LOST;
    snprintf(q.words, sizeof q.words, "1/3 healthy: QUORUM LOST");
    h = derive_hc_health(hc, &q, now);
    assert_int_equal(h.level, HEALTH_FAILING);
    assert_string_equal(h.words, "etcd 1/3 healthy: QUORUM LOST");
    q.state = QUORUM_HEALTHY;
    q.crashloop_member = "etcd-1";
    h = derive_hc_health(hc, &q, now);
    assert_int_equal(h.level, HEALTH_WARNING);
    assert_string_equal(h.words, "etcd member etcd-1 crash-looping");
    record_free(hc);

    hc = load_fixture_record(RES_HOSTEDCLUSTER, "hc_paused.json");
    h = derive_hc_health(hc, NULL, now);
    assert_int_equal(h.level, HEALTH_WARNING);
    assert_string_equal(h.words, "paused (3h12m left)");
    h = derive_hc_health(hc, NULL, ts("2026-07-05T00:00:00Z")); /* the pause is over; the old Blocked remains */
    assert_int_equal(h.level, HEALTH_WARNING);
    assert_string_equal(h.words, "upgrade blocked by ReconciliationActive");
    record_free(hc);

    hc = load_fixture_record(RES_HOSTEDCLUSTER, "hc_blocked.json");
    h = derive_hc_health(hc, NULL, now);
    assert_int_equal(h.level, HEALTH_WARNING);
    assert_string_equal(h.words, "upgrade blocked by ClusterVersionUpgradeable");
    record_free(hc);

    hc = load_fixture_record(RES_HOSTEDCLUSTER, "hc_upgrading.json");
    h = derive_hc_health(hc, NULL, ts("2026-06-10T09:12:12Z"));
    assert_int_equal(h.level, HEALTH_OK);
    assert_string_equal(h.words, "upgrading: 4.19.3 -> 4.19.5 56% (512 of 905)");
    record_free(hc);

    /* one rule per object: {spec or metadata extras, conditions} -> level, words */
    static const struct {
        const char *meta, *spec, *conds;
        health_level level;
        const char *words;
    } cases[] = {
        {"", "", "{\"type\":\"Available\",\"status\":\"False\",\"reason\":\"WaitingForAvailable\"},"
                 "{\"type\":\"Degraded\",\"status\":\"True\",\"reason\":\"X\"}",
         HEALTH_FAILING, "Available=False: WaitingForAvailable"},
        {"", "", "{\"type\":\"Available\",\"status\":\"True\"},{\"type\":\"Degraded\",\"status\":\"True\",\"message\":\"kas crash\"}",
         HEALTH_FAILING, "Degraded: kas crash"},
        {"", "", "{\"type\":\"Available\",\"status\":\"True\"},{\"type\":\"EtcdAvailable\",\"status\":\"False\",\"reason\":\"EtcdWaitingForQuorum\"}",
         HEALTH_FAILING, "EtcdAvailable=False: EtcdWaitingForQuorum"},
        {"", "", "{\"type\":\"Available\",\"status\":\"True\"},{\"type\":\"ValidReleaseImage\",\"status\":\"False\",\"reason\":\"InvalidImage\"}",
         HEALTH_WARNING, "ValidReleaseImage=False: InvalidImage"},
        {"", "", "{\"type\":\"Available\",\"status\":\"True\"},{\"type\":\"ReconciliationSucceeded\",\"status\":\"False\",\"reason\":\"ReconciliationError\"}",
         HEALTH_WARNING, "ReconciliationSucceeded=False: ReconciliationError"},
        /* any other condition in its unhealthy state warns; the upgrade gate and update retrieval do not */
        {"", "", "{\"type\":\"Available\",\"status\":\"True\"},"
                 "{\"type\":\"ClusterVersionUpgradeable\",\"status\":\"False\",\"reason\":\"AdminAckRequired\"},"
                 "{\"type\":\"ClusterVersionRetrievedUpdates\",\"status\":\"False\"},{\"type\":\"SomethingNew\",\"status\":\"False\"},"
                 "{\"type\":\"IgnitionEndpointAvailable\",\"status\":\"False\",\"reason\":\"WaitingForAvailable\"}",
         HEALTH_WARNING, "IgnitionEndpointAvailable=False: WaitingForAvailable"},
        {"", "", "{\"type\":\"Available\",\"status\":\"True\"},"
                 "{\"type\":\"ClusterVersionUpgradeable\",\"status\":\"False\",\"reason\":\"AdminAckRequired\"}",
         HEALTH_OK, "healthy"},
        {",\"deletionTimestamp\":\"2026-07-01T00:00:00Z\"", "", "", HEALTH_WARNING, "being deleted"},
        {"", "\"pausedUntil\":\"soon\"", "{\"type\":\"Available\",\"status\":\"True\"}", HEALTH_WARNING,
         "invalid pausedUntil: not paused"},
        {"", "\"pausedUntil\":\"True\"", "{\"type\":\"Available\",\"status\":\"True\"}", HEALTH_WARNING,
         "paused until removed"},
        {"", "", "", HEALTH_UNKNOWN, "Available unknown"},
        {"", "", "{\"type\":\"Available\",\"status\":\"Unknown\"}", HEALTH_UNKNOWN, "Available unknown"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[1024];
        snprintf(text, sizeof text, "{\"metadata\":{\"name\":\"x\"%s},\"spec\":{%s},\"status\":{\"conditions\":[%s]}}",
                 cases[i].meta, cases[i].spec, cases[i].conds);
        hc = parse(RES_HOSTEDCLUSTER, text);
        h = derive_hc_health(hc, NULL, now);
        assert_int_equal(h.level, cases[i].level);
        assert_string_equal(h.words, cases[i].words);
        record_free(hc);
    }
    h = derive_hc_health(NULL, NULL, now);
    assert_int_equal(h.level, HEALTH_UNKNOWN);
    assert_string_equal(health_level_name(HEALTH_FAILING), "FAILING");
    assert_string_equal(health_level_name(HEALTH_WARNING), "WARNING");
    assert_string_equal(health_level_name(HEALTH_UNKNOWN), "UNKNOWN");
}

/* ---- node pool skew ---- */

static record *mk_np_version(const char *version)
{
    char text[256];
    snprintf(text, sizeof text, "{\"metadata\":{\"name\":\"np\"},\"status\":{\"version\":\"%s\"}}", version);
    return parse(RES_NODEPOOL, text);
}

static record *mk_hc_version(const char *completed)
{
    char text[512];
    snprintf(text, sizeof text,
             "{\"metadata\":{\"name\":\"hc\"},\"status\":{\"version\":{\"history\":["
             "{\"state\":\"Partial\",\"version\":\"9.99.0\"},{\"state\":\"Completed\",\"version\":\"%s\"}]}}}",
             completed);
    return parse(RES_HOSTEDCLUSTER, text);
}

static void check_skew(const char *pool, const char *cp, skew_kind kind, int minors, bool unsupported, const char *words)
{
    record *np = mk_np_version(pool);
    record *hc = mk_hc_version(cp);
    np_skew k = derive_np_skew(np, hc);
    assert_int_equal(k.kind, kind);
    assert_int_equal(k.minors, minors);
    assert_int_equal(k.unsupported, unsupported);
    assert_string_equal(k.words, words);
    record_free(np);
    record_free(hc);
}

static void test_skew(void **state)
{
    (void)state;
    check_skew("4.19.5", "4.19.3", SKEW_SAME, 0, false, "same");
    check_skew("4.18.12", "4.19.3", SKEW_BEHIND, 1, false, "1 minor behind");
    check_skew("4.16.1", "4.19.3", SKEW_BEHIND, 3, false, "3 minors behind");
    check_skew("4.15.1", "4.19.3", SKEW_BEHIND, 4, true, "4 minors behind: unsupported");
    check_skew("4.20.0", "4.19.3", SKEW_AHEAD, 1, true, "1 minor ahead: not allowed");
    check_skew("4.22.0", "5.0.1", SKEW_BEHIND, 1, false, "1 minor behind"); /* 5.0 counts as 4.23 */
    check_skew("4.19.0-rc.1", "4.19.3", SKEW_SAME, 0, false, "same");
    check_skew("junk", "4.19.3", SKEW_UNKNOWN, 0, false, "pool version unknown");
    check_skew("4.19.3", "junk", SKEW_UNKNOWN, 0, false, "control plane version unknown");
    check_skew("1.19.3", "4.19.3", SKEW_UNKNOWN, 0, false, "unknown (major 1 vs 4)");
    record *np = mk_np_version("4.19.5");
    assert_int_equal(derive_np_skew(np, NULL).kind, SKEW_UNKNOWN);
    assert_int_equal(derive_np_skew(NULL, NULL).kind, SKEW_UNKNOWN);
    record_free(np);
}

/* ---- supported versions ---- */

static void test_supported(void **state)
{
    (void)state;
    record *sv = load_fixture_record(RES_SUPPORTED_VERSIONS, "cm_supported_versions.json");
    char words[96];
    assert_int_equal(derive_supported(sv, "4.19.3", words, sizeof words), SUPPORT_OK);
    assert_string_equal(words, "4.19 supported");
    assert_int_equal(derive_supported(sv, "5.1.0", words, sizeof words), SUPPORT_OK);
    assert_int_equal(derive_supported(sv, "5.2.0", words, sizeof words), SUPPORT_TOO_NEW);
    assert_string_equal(words, "5.2 is newer than the operator supports (newest 5.1)");
    assert_int_equal(derive_supported(sv, "4.13.9", words, sizeof words), SUPPORT_TOO_OLD);
    assert_string_equal(words, "4.13 is older than the operator supports (oldest 4.14)");
    assert_int_equal(derive_supported(sv, "4.20.0-rc.1", NULL, 0), SUPPORT_OK);
    assert_int_equal(derive_supported(sv, "junk", words, sizeof words), SUPPORT_UNKNOWN);
    record_free(sv);
    sv = parse(RES_SUPPORTED_VERSIONS, "{\"data\":{\"supported-versions\":\"{\\\"versions\\\":[\\\"4.19\\\",\\\"4.17\\\",\\\"x\\\"]}\"}}");
    assert_int_equal(derive_supported(sv, "4.18.1", words, sizeof words), SUPPORT_UNLISTED);
    assert_int_equal(derive_supported(sv, "4.17.1", words, sizeof words), SUPPORT_OK);
    record_free(sv);
    sv = parse(RES_SUPPORTED_VERSIONS, "{\"data\":{\"supported-versions\":\"not json\"}}");
    assert_int_equal(derive_supported(sv, "4.19.3", words, sizeof words), SUPPORT_UNKNOWN);
    assert_string_equal(words, "supported versions unknown");
    record_free(sv);
    assert_int_equal(derive_supported(NULL, "4.19.3", words, sizeof words), SUPPORT_UNKNOWN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version_parse), cmocka_unit_test(test_version_compare), cmocka_unit_test(test_version_order),
        cmocka_unit_test(test_cp_namespace),  cmocka_unit_test(test_polarity),
        cmocka_unit_test(test_paused),        cmocka_unit_test(test_etcd_member),
        cmocka_unit_test(test_etcd_quorum),   cmocka_unit_test(test_upgrade),
        cmocka_unit_test(test_health),        cmocka_unit_test(test_skew),
        cmocka_unit_test(test_supported),
    };
    return cmocka_run_group_tests(tests, setup_utc, NULL);
}
