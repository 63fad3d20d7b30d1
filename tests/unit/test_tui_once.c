/* --once as data: the -o json field set and facts of the demo fleet (the in-process simulator, a
 * real client, once_wait), the documents parsed back with cJSON and libyaml, hostile cluster strings
 * kept byte for byte, -o name lines, --check's levels and line, and the new options' parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <yaml.h>

#include "client/client.h"
#include "client/decode.h"
#include "client/kubeconfig.h"
#include "common/buf.h"
#include "sim/server.h"
#include "tui/once.h"
#include "tui/options.h"
#include "tui/sanitize.h"

static sim_server *sim;
static kube_target *target;
static client *cl;

static int setup(void **state)
{
    (void)state;
    char err[512];
    sim_server_config sc = {.listen = "127.0.0.1:0", .fleet = "demo", .seed = 1, .tick_ms = 0};
    sim = sim_server_start(&sc, err, sizeof err);
    if (!sim)
        return -1;
    const char *yaml = sim_server_admin_kubeconfig(sim);
    if (kubeconfig_load_text(yaml, strlen(yaml), "<test>", NULL, NULL, &target, err, sizeof err) != 0)
        return -1;
    client_options co = {.target = target, .read_only = true};
    cl = client_open(&co, err, sizeof err);
    if (!cl)
        return -1;
    client_start(cl);
    unsigned all = RES_KIND_BIT(RES_HOSTEDCLUSTER) | RES_KIND_BIT(RES_NODEPOOL) | RES_KIND_BIT(RES_ETCD_POD);
    if (once_wait(cl, all, RES_KIND_BIT(RES_SUPPORTED_VERSIONS), 20000, err, sizeof err) != ONCE_READ_OK) {
        fprintf(stderr, "once_wait: %s\n", err);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    client_close(cl);
    kube_target_free(target);
    sim_server_stop(sim);
    return 0;
}

static view_model *pane(const char *name, store *st)
{
    view_model *m = view_model_new(view_find(name));
    view_scope scope = {0};
    view_model_refresh(m, st, &scope, time(NULL));
    return m;
}

/* What once_print_json or once_print_yaml writes for a pane, as a string to free. */
static char *printed(const char *pane_name, store *st,
                     void (*print)(FILE *, const view_model *, store *, const once_source *))
{
    view_model *m = pane(pane_name, st);
    once_source src = {.context = "ctx", .server = "https://x", .now = 1783123200};
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    print(f, m, st, &src);
    fclose(f);
    view_model_free(m);
    return text;
}

/* The pane's JSON as printed, parsed back: what a script reads. */
static cJSON *printed_json(const char *pane_name, store *st)
{
    char *text = printed(pane_name, st, once_print_json);
    cJSON *doc = cJSON_Parse(text);
    if (!doc)
        fail_msg("-o json is not JSON: %.200s", text);
    free(text);
    return doc;
}

static const cJSON *item_named(const cJSON *doc, const char *name)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(doc, "items"))
    {
        if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(it, "name")), name) == 0)
            return it;
    }
    fail_msg("no item %s", name);
    return NULL;
}

/* Follows a path of keys; fails when one is missing. */
static const cJSON *at(const cJSON *o, const char *path)
{
    char copy[200];
    snprintf(copy, sizeof copy, "%s", path);
    for (char *key = strtok(copy, "."); key; key = strtok(NULL, ".")) {
        o = cJSON_GetObjectItemCaseSensitive(o, key);
        if (!o)
            fail_msg("no field %s (at %s)", path, key);
    }
    return o;
}

static const char *str_at(const cJSON *o, const char *path)
{
    const cJSON *v = at(o, path);
    if (!cJSON_IsString(v))
        fail_msg("%s is not a string", path);
    return v->valuestring;
}

static void test_json_field_set(void **state)
{
    (void)state;
    cJSON *doc = printed_json("clusters", client_store(cl));
    assert_string_equal(str_at(doc, "apiVersion"), "hcptui.io/v1");
    assert_string_equal(str_at(doc, "pane"), "clusters");
    assert_string_equal(str_at(doc, "generatedAt"), "2026-07-04T00:00:00Z");
    assert_int_equal(cJSON_GetArraySize(at(doc, "items")), 8);
    /* every item has the same keys, and facts the same sections */
    static const char *const item_keys[] = {"kind", "namespace", "name", "cluster", "fields", "facts"};
    static const char *const fact_keys[] = {"health", "etcd", "pause", "upgrade", "supported", "skew", "conditions"};
    const cJSON *it;
    cJSON_ArrayForEach(it, at(doc, "items"))
    {
        for (size_t i = 0; i < sizeof item_keys / sizeof item_keys[0]; i++)
            at(it, item_keys[i]);
        for (size_t i = 0; i < sizeof fact_keys / sizeof fact_keys[0]; i++)
            at(at(it, "facts"), fact_keys[i]);
        assert_string_equal(str_at(it, "kind"), "HostedCluster");
        /* fields are the pane's columns by id */
        assert_int_equal(cJSON_GetArraySize(at(it, "fields")), cJSON_GetArraySize(at(doc, "columns")));
        assert_string_equal(str_at(it, "fields.name"), str_at(it, "name"));
    }

    const cJSON *deg = item_named(doc, "etcd-degraded");
    assert_string_equal(str_at(deg, "namespace"), "team-a");
    assert_string_equal(str_at(deg, "facts.health.level"), "failing");
    assert_string_equal(str_at(deg, "facts.health.check"), "critical");
    assert_non_null(strstr(str_at(deg, "facts.health.checkWhy"), "Degraded: UnavailableReplicas: "));
    assert_string_equal(str_at(deg, "facts.etcd.quorum"), "at-risk");
    assert_int_equal((int)at(deg, "facts.etcd.healthy")->valuedouble, 2);
    assert_int_equal((int)at(deg, "facts.etcd.expected")->valuedouble, 3);
    assert_string_equal(str_at(deg, "facts.upgrade.state"), "completed");
    assert_string_equal(str_at(deg, "facts.supported.state"), "ok");
    assert_string_equal(str_at(deg, "facts.skew.state"), "same");

    const cJSON *blocked = item_named(doc, "blocked-minor");
    assert_string_equal(str_at(blocked, "facts.health.check"), "warning");
    assert_string_equal(str_at(blocked, "facts.upgrade.state"), "blocked");
    assert_string_equal(str_at(blocked, "facts.upgrade.blockedBy"), "ClusterVersionUpgradeable");
    assert_true(cJSON_IsString(at(blocked, "facts.upgrade.blockedMessage")));

    const cJSON *up = item_named(doc, "upgrade-demo");
    assert_string_equal(str_at(up, "facts.upgrade.state"), "progressing");
    assert_string_equal(str_at(up, "facts.upgrade.target"), "4.16.8");
    assert_true(cJSON_IsNumber(at(up, "facts.upgrade.percent")));
    assert_string_equal(str_at(up, "facts.health.check"), "ok");

    const cJSON *paused = item_named(doc, "paused-until");
    assert_string_equal(str_at(paused, "facts.pause.state"), "until");
    assert_true(cJSON_IsTrue(at(paused, "facts.pause.paused")));
    assert_true(cJSON_IsString(at(paused, "facts.pause.until")));
    assert_true(at(paused, "facts.pause.secondsLeft")->valuedouble > 0);
    assert_string_equal(str_at(paused, "facts.health.check"), "ok"); /* a pause is no alert */
    const cJSON *legacy = item_named(doc, "legacy-paused");
    assert_string_equal(str_at(legacy, "facts.pause.state"), "indefinite");
    assert_true(cJSON_IsNull(at(legacy, "facts.pause.until")));
    cJSON_Delete(doc);
}

static void test_json_other_panes(void **state)
{
    (void)state;
    cJSON *np = printed_json("nodepools", client_store(cl));
    const cJSON *it = cJSON_GetArrayItem(at(np, "items"), 0);
    assert_string_equal(str_at(it, "kind"), "NodePool");
    at(it, "facts.skew.state");
    at(it, "facts.pause.state");
    at(it, "facts.cluster.health.check");
    cJSON_Delete(np);

    cJSON *etcd = printed_json("etcd", client_store(cl));
    const cJSON *pod;
    bool seen_crashloop = false;
    cJSON_ArrayForEach(pod, at(etcd, "items"))
    {
        assert_string_equal(str_at(pod, "kind"), "Pod"); /* headings are no items */
        if (strcmp(str_at(pod, "namespace"), "team-a-etcd-degraded") == 0 && strcmp(str_at(pod, "name"), "etcd-1") == 0) {
            assert_true(cJSON_IsTrue(at(pod, "facts.member.crashlooping")));
            assert_true(cJSON_IsFalse(at(pod, "facts.member.healthy")));
            assert_string_equal(str_at(pod, "facts.etcd.quorum"), "at-risk");
            assert_string_equal(str_at(pod, "facts.cluster.name"), "etcd-degraded");
            seen_crashloop = true;
        }
    }
    assert_true(seen_crashloop);
    cJSON_Delete(etcd);
}

static void test_names(void **state)
{
    (void)state;
    view_model *m = pane("clusters", client_store(cl));
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    once_print_names(f, m);
    fclose(f);
    view_model_free(m);
    assert_non_null(strstr(text, "hostedcluster/clusters/dev-single\n"));
    assert_non_null(strstr(text, "hostedcluster/team-a/etcd-degraded\n"));
    int lines = 0;
    for (char *p = text; *p; p++)
        lines += *p == '\n';
    assert_int_equal(lines, 8);
    free(text);
    m = pane("etcd", client_store(cl));
    text = NULL;
    f = open_memstream(&text, &len);
    once_print_names(f, m);
    fclose(f);
    view_model_free(m);
    assert_non_null(strstr(text, "pod/team-a-etcd-degraded/etcd-1\n"));
    assert_null(strstr(text, "— ")); /* no heading line */
    free(text);
}

/* ---- a fixture store with hostile strings: data, never sanitized away ------------------------ */

static const char hostile[] = "line one\nline \"two\"\\ \x1b[2J: not a key # not a comment\t- not a list \xe2\x80\xae"
                              "rtl \xc3\xa9";

static store *hostile_store(void)
{
    store *st = store_new();
    cJSON *hc = cJSON_Parse("{\"metadata\":{\"name\":\"weird\",\"namespace\":\"ns-1\"},"
                            "\"spec\":{\"platform\":{\"type\":\"AWS\"}},\"status\":{\"conditions\":["
                            "{\"type\":\"Available\",\"status\":\"False\",\"reason\":\"Broken\"}]}}");
    cJSON *conds = cJSON_GetObjectItem(cJSON_GetObjectItem(hc, "status"), "conditions");
    cJSON_AddStringToObject(cJSON_GetArrayItem(conds, 0), "message", hostile);
    store_relist_begin(st, RES_HOSTEDCLUSTER);
    store_relist_add(st, RES_HOSTEDCLUSTER, decode_object(RES_HOSTEDCLUSTER, hc));
    store_relist_end(st, RES_HOSTEDCLUSTER, "1");
    cJSON_Delete(hc);
    return st;
}

static void test_json_keeps_hostile_strings(void **state)
{
    (void)state;
    store *st = hostile_store();
    cJSON *doc = printed_json("clusters", st);
    const cJSON *it = item_named(doc, "weird");
    const cJSON *c = cJSON_GetArrayItem(at(it, "facts.conditions"), 0);
    assert_string_equal(str_at(c, "message"), hostile);
    assert_string_equal(str_at(it, "facts.health.check"), "critical");
    assert_non_null(strstr(str_at(it, "facts.health.checkWhy"), hostile));
    cJSON_Delete(doc);
    store_free(st);
}

/* Parses YAML with libyaml; returns every scalar in order (NULL-separated list in out). Fails the
 * test when it does not parse. */
static size_t yaml_scalars(const char *text, char ***out)
{
    yaml_parser_t p;
    yaml_event_t ev;
    assert_true(yaml_parser_initialize(&p));
    yaml_parser_set_input_string(&p, (const unsigned char *)text, strlen(text));
    size_t n = 0, cap = 0;
    char **v = NULL;
    for (;;) {
        if (!yaml_parser_parse(&p, &ev))
            fail_msg("-o yaml does not parse: %s at line %zu", p.problem, p.problem_mark.line + 1);
        if (ev.type == YAML_SCALAR_EVENT) {
            if (n == cap)
                v = xrealloc(v, (cap = cap ? cap * 2 : 64) * sizeof *v);
            v[n++] = xstrndup((const char *)ev.data.scalar.value, ev.data.scalar.length);
        }
        bool end = ev.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&ev);
        if (end)
            break;
    }
    yaml_parser_delete(&p);
    *out = v;
    return n;
}

/* The value after key `key`, the first time it appears (scalars alternate key, value in maps). */
static const char *value_after(char **v, size_t n, const char *key, size_t from)
{
    for (size_t i = from; i + 1 < n; i++)
        if (strcmp(v[i], key) == 0)
            return v[i + 1];
    return NULL;
}

static void test_yaml_parses_and_keeps_strings(void **state)
{
    (void)state;
    store *st = hostile_store();
    char *text = printed("clusters", st, once_print_yaml);
    char **v;
    size_t n = yaml_scalars(text, &v);
    const char *msg = value_after(v, n, "message", 0);
    assert_non_null(msg);
    assert_string_equal(msg, hostile);
    assert_string_equal(value_after(v, n, "apiVersion", 0), "hcptui.io/v1");
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
    free(text);
    store_free(st);

    /* the demo fleet too: the same facts as the JSON */
    text = printed("clusters", client_store(cl), once_print_yaml);
    n = yaml_scalars(text, &v);
    size_t deg = 0;
    while (deg < n && strcmp(v[deg], "etcd-degraded") != 0)
        deg++;
    assert_true(deg < n);
    assert_string_equal(value_after(v, n, "check", deg), "critical");
    assert_string_equal(value_after(v, n, "quorum", deg), "at-risk");
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
    free(text);
}

static void test_check_levels(void **state)
{
    (void)state;
    char line[4096];
    check_level l = once_check(client_store(cl), time(NULL), 0, line, sizeof line);
    assert_int_equal(l, CHECK_CRITICAL);
    assert_int_equal((int)l, 2);
    static const char head[] = "CRITICAL: 1 of 8 hosted clusters critical (team-a/etcd-degraded: Degraded: ";
    if (strncmp(line, head, strlen(head)) != 0)
        fail_msg("--check said \"%s\"", line);
    assert_non_null(strstr(line, "), 1 warning (team-a/blocked-minor: upgrade blocked by ClusterVersionUpgradeable)"));
    assert_null(strchr(line, '\n'));

    store *st = hostile_store();
    l = once_check(st, time(NULL), 0, line, sizeof line);
    assert_int_equal(l, CHECK_CRITICAL);
    assert_non_null(strstr(line, "ns-1/weird: Available=False: Broken: line one"));
    assert_null(strchr(line, '\n'));     /* one line, whatever the message holds */
    assert_null(strchr(line, '\x1b'));
    store_free(st);

    store *empty = store_new();
    assert_int_equal(once_check(empty, time(NULL), 0, line, sizeof line), CHECK_OK);
    assert_string_equal(line, "OK: 0 hosted clusters, all healthy");
    store_free(empty);
}

static void test_options(void **state)
{
    (void)state;
    tui_options o;
    char err[256];
    char *a1[] = {"hcptui", "-o", "json", "--width", "120", "--timeout", "45s", NULL};
    assert_int_equal(options_parse(7, a1, &o, err, sizeof err), 0);
    assert_int_equal(o.output, ONCE_JSON);
    assert_true(o.once); /* -o implies --once */
    assert_int_equal(o.width, 120);
    assert_int_equal(o.timeout_ms, 45000);
    char *a2[] = {"hcptui", "-oname", "--timeout", "7", NULL};
    assert_int_equal(options_parse(4, a2, &o, err, sizeof err), 0);
    assert_int_equal(o.output, ONCE_NAME);
    assert_int_equal(o.timeout_ms, 7000);
    char *a3[] = {"hcptui", "--check", NULL};
    assert_int_equal(options_parse(2, a3, &o, err, sizeof err), 0);
    assert_true(o.check && o.once);
    assert_int_equal(o.timeout_ms, 30000);
    char *bad[][3] = {{"hcptui", "-o", "xml"},       {"hcptui", "--width", "5"},
                      {"hcptui", "--timeout", "0"},  {"hcptui", "--timeout", "2h"},
                      {"hcptui", "--width", "12x"},  {"hcptui", "-x", "1"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *argv[] = {bad[i][0], bad[i][1], bad[i][2], NULL};
        assert_int_equal(options_parse(3, argv, &o, err, sizeof err), -1);
        assert_true(err[0]);
    }
    char *a4[] = {"hcptui", "--check", "-o", "json", NULL};
    assert_int_equal(options_parse(4, a4, &o, err, sizeof err), -1);
    assert_non_null(strstr(err, "--check"));
    char *a5[] = {"hcptui", "-nprod", NULL}; /* the attached form still works for -n */
    assert_int_equal(options_parse(2, a5, &o, err, sizeof err), 0);
    assert_string_equal(o.ns, "prod");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_field_set),
        cmocka_unit_test(test_json_other_panes),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_json_keeps_hostile_strings),
        cmocka_unit_test(test_yaml_parses_and_keeps_strings),
        cmocka_unit_test(test_check_levels),
        cmocka_unit_test(test_options),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
