/* The executor and the audit log against the in-process simulator: a dry run persists nothing and
 * says the server's verdict, a real run changes the objects (read back through the watch), a stale
 * resourceVersion is a 409 in words, a chained call takes the previous answer's resourceVersion,
 * the read-only transport and a read-only identity send nothing that changes anything, and every
 * call is one line of the audit log (0600 in a 0700 folder). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "client/action.h"
#include "client/audit.h"
#include "client/client.h"
#include "client/executor.h"
#include "client/permissions.h"
#include "common/buf.h"
#include "common/timeutil.h"
#include "sim/server.h"

static sim_server *sim;
static char state_dir[256];

typedef struct conn {
    kube_target *target;
    client *cl;
    audit_log *log;
    executor *ex;
} conn;

static void conn_open(conn *c, const char *yaml, bool read_only)
{
    char err[512];
    memset(c, 0, sizeof *c);
    assert_int_equal(kubeconfig_load_text(yaml, strlen(yaml), "<test>", NULL, NULL, &c->target, err, sizeof err), 0);
    client_options co = {.target = c->target, .read_only = read_only};
    c->cl = client_open(&co, err, sizeof err);
    assert_non_null(c->cl);
    client_start(c->cl);
    assert_int_equal(client_wait_initial_for(c->cl, (1u << RES_HOSTEDCLUSTER) | (1u << RES_NODEPOOL), 10000, err,
                                             sizeof err),
                     0);
    audit_identity id = {"test-context", "https://sim", "tester"};
    c->log = audit_open(NULL, &id, err, sizeof err);
    assert_non_null(c->log);
    c->ex = executor_new(client_transport(c->cl), c->log);
}

static void conn_close(conn *c)
{
    executor_free(c->ex);
    audit_close(c->log);
    client_close(c->cl);
    kube_target_free(c->target);
}

static const exec_status *run(conn *c, const action *a, bool dry_run)
{
    char err[300];
    assert_int_equal(executor_run(c->ex, a, dry_run, err, sizeof err), 0);
    int64_t until = now_ms_monotonic() + 10000;
    while (executor_status(c->ex)->state == EXEC_RUNNING && now_ms_monotonic() < until) {
        bool ready;
        client_poll(c->cl, -1, 50, &ready);
    }
    return executor_status(c->ex);
}

/* Polls until the store's object satisfies pred (or 5 s). */
static record *wait_for(conn *c, res_kind kind, const char *ns, const char *name, bool (*pred)(const record *))
{
    int64_t until = now_ms_monotonic() + 5000;
    for (;;) {
        record *r = store_get(client_store(c->cl), kind, ns, name);
        if ((r && pred(r)) || now_ms_monotonic() > until)
            return r;
        bool ready;
        client_poll(c->cl, -1, 50, &ready);
    }
}

static bool paused(const record *r)
{
    return r->u.hc.paused_until && strcmp(r->u.hc.paused_until, "true") == 0;
}

static bool scaled_to_zero(const record *r)
{
    return r->u.np.has_replicas && r->u.np.replicas == 0 && rec_annotation(r, ANNOTATION_PREVIOUS_REPLICAS);
}

/* The audit log's lines, parsed. */
static size_t audit_lines(cJSON **out, size_t max)
{
    char path[512];
    snprintf(path, sizeof path, "%s/hcptui/audit.log", state_dir);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char line[65536];
    size_t n = 0;
    while (n < max && fgets(line, sizeof line, f)) {
        out[n] = cJSON_Parse(line);
        assert_non_null(out[n]);
        n++;
    }
    fclose(f);
    return n;
}

static void audit_free(cJSON **lines, size_t n)
{
    for (size_t i = 0; i < n; i++)
        cJSON_Delete(lines[i]);
}

static int setup(void **state)
{
    (void)state;
    snprintf(state_dir, sizeof state_dir, "%s/hcptui-exec-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(state_dir))
        return -1;
    setenv("XDG_STATE_HOME", state_dir, 1);
    char err[256];
    sim_server_config sc = {.listen = "127.0.0.1:0", .fleet = "demo", .seed = 1, .tick_ms = 0};
    sim = sim_server_start(&sc, err, sizeof err);
    return sim ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    sim_server_stop(sim);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", state_dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_dry_run_then_send_then_conflict(void **state)
{
    (void)state;
    conn c;
    conn_open(&c, sim_server_admin_kubeconfig(sim), false);
    record *hc = store_get(client_store(c.cl), RES_HOSTEDCLUSTER, "prod", "prod-east");
    assert_non_null(hc);
    assert_null(hc->u.hc.paused_until);
    char rv_before[64];
    snprintf(rv_before, sizeof rv_before, "%s", hc->meta.resource_version);
    action a = {0};
    char err[300];
    assert_int_equal(action_pause(&a, &hc, 1, NULL, 0, "", time(NULL), err, sizeof err), 0);

    const exec_status *st = run(&c, &a, true);
    assert_int_equal(st->state, EXEC_DONE);
    assert_string_equal(st->message, "accepted by the server (dry run)");
    /* nothing persisted: a short while later the object is as it was */
    for (int i = 0; i < 6; i++) {
        bool ready;
        client_poll(c.cl, -1, 50, &ready);
    }
    hc = store_get(client_store(c.cl), RES_HOSTEDCLUSTER, "prod", "prod-east");
    assert_null(hc->u.hc.paused_until);
    assert_string_equal(hc->meta.resource_version, rv_before);

    st = run(&c, &a, false);
    assert_int_equal(st->state, EXEC_DONE);
    hc = wait_for(&c, RES_HOSTEDCLUSTER, "prod", "prod-east", paused);
    assert_true(paused(hc));

    /* the same action again: built from the old resourceVersion, the server says 409 */
    st = run(&c, &a, false);
    assert_int_equal(st->state, EXEC_FAILED);
    assert_true(st->conflict);
    assert_int_equal(st->http_code, 409);
    assert_non_null(strstr(st->message, "conflict"));

    /* resume, built from the record now in the store */
    action r = {0};
    assert_int_equal(action_resume(&r, &hc, 1, NULL, 0, err, sizeof err), 0);
    assert_int_equal(run(&c, &r, false)->state, EXEC_DONE);
    action_free(&r);
    action_free(&a);

    cJSON *lines[16];
    size_t n = audit_lines(lines, 16);
    assert_int_equal(n, 4);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(lines[0], "dryRun")));
    assert_string_equal(cJSON_GetObjectItem(lines[0], "method")->valuestring, "PATCH");
    assert_non_null(strstr(cJSON_GetObjectItem(lines[0], "path")->valuestring, "/hostedclusters/prod-east?dryRun=All"));
    assert_int_equal(cJSON_GetObjectItem(lines[0], "status")->valueint, 200);
    assert_string_equal(cJSON_GetObjectItem(lines[0], "contentType")->valuestring, CT_MERGE_PATCH);
    assert_non_null(strstr(cJSON_GetObjectItem(lines[0], "body")->valuestring, "\"pausedUntil\":\"true\""));
    assert_string_equal(cJSON_GetObjectItem(lines[0], "context")->valuestring, "test-context");
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(lines[1], "dryRun")));
    assert_int_equal(cJSON_GetObjectItem(lines[2], "status")->valueint, 409);
    audit_free(lines, n);

    char path[512];
    snprintf(path, sizeof path, "%s/hcptui/audit.log", state_dir);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    snprintf(path, sizeof path, "%s/hcptui", state_dir);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0700);
    conn_close(&c);
}

static void test_chained_calls(void **state)
{
    (void)state;
    conn c;
    conn_open(&c, sim_server_admin_kubeconfig(sim), false);
    size_t n = 0;
    record *const *pools = store_nodepools_of(client_store(c.cl), "prod", "prod-west", &n);
    assert_true(n > 0);
    record *np = pools[0];
    for (size_t i = 0; i < n; i++)
        if (!pools[i]->u.np.has_autoscaling && pools[i]->u.np.replicas > 0)
            np = pools[i];
    assert_false(np->u.np.has_autoscaling);
    char ns[64], name[128];
    snprintf(ns, sizeof ns, "%s", np->meta.namespace);
    snprintf(name, sizeof name, "%s", np->meta.name);
    action a = {0};
    char err[300];
    scale_choice zero = {.replicas = 0};
    assert_int_equal(action_scale(&a, &np, 1, &zero, err, sizeof err), 0);
    assert_int_equal(a.n_calls, 2);
    assert_int_equal(run(&c, &a, true)->state, EXEC_DONE); /* the dry run of both calls */
    const exec_status *st = run(&c, &a, false);
    if (st->state != EXEC_DONE)
        fail_msg("%s", st->message);
    np = wait_for(&c, RES_NODEPOOL, ns, name, scaled_to_zero);
    assert_true(scaled_to_zero(np));
    action_free(&a);
    conn_close(&c);
}

static void test_read_only_sends_nothing(void **state)
{
    (void)state;
    /* the read-only transport: refused before a byte leaves */
    conn c;
    conn_open(&c, sim_server_admin_kubeconfig(sim), true);
    record *hc = store_get(client_store(c.cl), RES_HOSTEDCLUSTER, "prod", "prod-west");
    action a = {0};
    char err[300];
    assert_int_equal(action_pause(&a, &hc, 1, NULL, 0, "", time(NULL), err, sizeof err), 0);
    uint64_t handed = transport_handed_count(client_transport(c.cl));
    const exec_status *st = run(&c, &a, false);
    assert_int_equal(st->state, EXEC_FAILED);
    assert_non_null(strstr(st->message, "read-only"));
    assert_int_equal(transport_handed_count(client_transport(c.cl)), handed);
    action_free(&a);
    conn_close(&c);

    /* a read-only identity: the server answers 403, in words */
    conn_open(&c, sim_server_readonly_kubeconfig(sim), false);
    hc = store_get(client_store(c.cl), RES_HOSTEDCLUSTER, "prod", "prod-west");
    assert_int_equal(action_pause(&a, &hc, 1, NULL, 0, "", time(NULL), err, sizeof err), 0);
    st = run(&c, &a, true);
    assert_int_equal(st->state, EXEC_FAILED);
    assert_true(st->forbidden);
    assert_non_null(strstr(st->message, "forbidden"));
    action_free(&a);
    conn_close(&c);

    /* the client's own executor: one per client, a task that lives and dies with it */
    conn_open(&c, sim_server_admin_kubeconfig(sim), false);
    audit_identity id = {"ctx", "srv", "me"};
    executor *mine = client_executor(c.cl, &id, err, sizeof err);
    assert_non_null(mine);
    assert_ptr_equal(client_executor(c.cl, &id, err, sizeof err), mine);
    hc = store_get(client_store(c.cl), RES_HOSTEDCLUSTER, "prod", "prod-west");
    assert_int_equal(action_pause(&a, &hc, 1, NULL, 0, "", time(NULL), err, sizeof err), 0);
    assert_int_equal(executor_run(mine, &a, true, err, sizeof err), 0);
    int64_t until = now_ms_monotonic() + 10000;
    while (executor_status(mine)->state == EXEC_RUNNING && now_ms_monotonic() < until) {
        bool ready;
        client_poll(c.cl, -1, 50, &ready);
    }
    assert_int_equal(executor_status(mine)->state, EXEC_DONE);
    action_free(&a);
    conn_close(&c); /* frees it with the client */

    /* no audit log, no call */
    executor *ex = executor_new(NULL, NULL);
    action one = {0};
    assert_non_null(action_add_call(&one, "PATCH", RES_HOSTEDCLUSTER, "prod", "x", NULL, CT_MERGE_PATCH, "{}", "x"));
    assert_int_equal(executor_run(ex, &one, false, err, sizeof err), -1);
    assert_non_null(strstr(err, "no audit log"));
    action_free(&one);
    executor_free(ex);
}

static void wait_permissions(conn *c)
{
    int64_t until = now_ms_monotonic() + 20000;
    for (unsigned bit = 1; bit < (1u << PERM_COUNT) && now_ms_monotonic() < until;) {
        if (client_permission(c->cl, bit, NULL, 0) != PERM_UNKNOWN) {
            bit <<= 1; /* answers come in any order: wait for each */
            continue;
        }
        bool ready;
        client_poll(c->cl, -1, 50, &ready);
    }
}

static void test_permissions(void **state)
{
    (void)state;
    char *body = permissions_review_body(PERM_UPDATE_NODEPOOLS_SCALE, "clusters");
    assert_string_equal(body, "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SelfSubjectAccessReview\","
                              "\"spec\":{\"resourceAttributes\":{\"namespace\":\"clusters\",\"verb\":\"update\","
                              "\"group\":\"hypershift.openshift.io\",\"resource\":\"nodepools\",\"subresource\":\"scale\"}}}");
    free(body);
    assert_null(permissions_review_body(0x4000, NULL));

    conn c;
    conn_open(&c, sim_server_admin_kubeconfig(sim), false);
    client_permissions_start(c.cl, NULL);
    wait_permissions(&c);
    char why[300];
    unsigned all = PERM_PATCH_HOSTEDCLUSTERS | PERM_PATCH_NODEPOOLS | PERM_UPDATE_NODEPOOLS_SCALE | PERM_DELETE_PODS |
                   PERM_DELETE_PVCS | PERM_GET_PODS_LOG;
    assert_int_equal(client_permissions_denied(c.cl, all, why, sizeof why), 0);
    assert_int_equal(client_permission(c.cl, PERM_PATCH_HOSTEDCLUSTERS, why, sizeof why), PERM_ALLOWED);
    conn_close(&c);

    /* the read-only identity ("view"): reads, and no write */
    conn_open(&c, sim_server_readonly_kubeconfig(sim), false);
    client_permissions_start(c.cl, NULL);
    wait_permissions(&c);
    assert_int_equal(client_permission(c.cl, PERM_PATCH_HOSTEDCLUSTERS, why, sizeof why), PERM_DENIED);
    assert_non_null(strstr(why, "cannot patch hostedclusters in every namespace"));
    assert_int_equal(client_permissions_denied(c.cl, PERM_DELETE_PODS | PERM_DELETE_PVCS, why, sizeof why),
                     PERM_DELETE_PODS);
    assert_int_equal(client_permission(c.cl, PERM_GET_PODS_LOG, why, sizeof why), PERM_ALLOWED);
    conn_close(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dry_run_then_send_then_conflict),
        cmocka_unit_test(test_chained_calls),
        cmocka_unit_test(test_read_only_sends_nothing),
        cmocka_unit_test(test_permissions),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
