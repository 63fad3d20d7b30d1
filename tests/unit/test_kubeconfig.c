/* Unit tests for client/kubeconfig: resolution, merging, every credential form, in-cluster, and
 * hostile input. Fixtures (kubeconfigs, certificates, keys) are made at run time in a mktemp folder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "client/kubeconfig.h"
#include "client/kubeyaml.h"
#include "common/buf.h"
#include "sim/server.h"
#include "tests/fixtures/kubeconfig/testkit.h"

#define TOKEN "s3cr3t-token-value"
#define PASSWORD "hunter2-pass"

static struct {
    char *dir;
    char *ca_pem, *ca_b64;
    char *cert_pem, *cert_b64, *key_pem, *key_b64;
    char *other_key_b64;
    char *expired_cert_b64, *expired_key_b64;
    char *encrypted_key_b64;
} fx;

static int setup(void **state)
{
    (void)state;
    fx.dir = tk_tmpdir();
    EVP_PKEY *ca_key = tk_key(), *key = tk_key(), *other = tk_key(), *old_key = tk_key();
    X509 *ca = tk_cert(ca_key, NULL, NULL, "test-only-ca", NULL, -60, 86400L * 365, 1);
    X509 *cert = tk_cert(key, ca_key, ca, "hcpsim-admin", "system:masters", -60, 86400L * 365, 0);
    X509 *expired = tk_cert(old_key, ca_key, ca, "old-admin", NULL, -86400L * 30, -86400L, 0);
    fx.ca_pem = tk_cert_pem(ca);
    fx.ca_b64 = tk_b64(fx.ca_pem);
    fx.cert_pem = tk_cert_pem(cert);
    fx.cert_b64 = tk_b64(fx.cert_pem);
    fx.key_pem = tk_key_pem(key);
    fx.key_b64 = tk_b64(fx.key_pem);
    char *other_pem = tk_key_pem(other);
    fx.other_key_b64 = tk_b64(other_pem);
    char *expired_pem = tk_cert_pem(expired), *old_key_pem = tk_key_pem(old_key);
    fx.expired_cert_b64 = tk_b64(expired_pem);
    fx.expired_key_b64 = tk_b64(old_key_pem);
    char *enc = tk_key_pem_encrypted(key);
    fx.encrypted_key_b64 = tk_b64(enc);
    free(enc);
    free(other_pem);
    free(expired_pem);
    free(old_key_pem);
    X509_free(ca);
    X509_free(cert);
    X509_free(expired);
    EVP_PKEY_free(ca_key);
    EVP_PKEY_free(key);
    EVP_PKEY_free(other);
    EVP_PKEY_free(old_key);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tk_rmtree(fx.dir);
    free(fx.dir);
    free(fx.ca_pem);
    free(fx.ca_b64);
    free(fx.cert_pem);
    free(fx.cert_b64);
    free(fx.key_pem);
    free(fx.key_b64);
    free(fx.other_key_b64);
    free(fx.expired_cert_b64);
    free(fx.expired_key_b64);
    free(fx.encrypted_key_b64);
    return 0;
}

/* No credential text may ever reach an error message. */
static void assert_no_secrets(const char *err)
{
    assert_null(strstr(err, TOKEN));
    assert_null(strstr(err, PASSWORD));
    assert_null(strstr(err, "PRIVATE KEY"));
    /* A stretch from the middle of the key's base64 (the head is shared by every PEM). */
    char probe[17];
    memcpy(probe, fx.key_b64 + 80, 16);
    probe[16] = '\0';
    assert_null(strstr(err, probe));
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    char *s = NULL;
    if (vasprintf(&s, f, ap) < 0)
        abort();
    va_end(ap);
    return s;
}

/* A one-context kubeconfig with the given cluster and user bodies (indented by 4). */
static char *kc_one(const char *cluster_body, const char *user_body)
{
    return fmt("apiVersion: v1\nkind: Config\ncurrent-context: main\n"
               "clusters:\n- name: c\n  cluster:\n%s\n"
               "users:\n- name: u\n  user:\n%s\n"
               "contexts:\n- name: main\n  context:\n    cluster: c\n    user: u\n",
               cluster_body, user_body);
}

static int load(const char *yaml, kube_target **t, char *err, size_t errlen)
{
    *t = NULL;
    int rc = kubeconfig_load_text(yaml, strlen(yaml), "test.yaml", NULL, NULL, t, err, errlen);
    if (rc == 0)
        assert_non_null(*t);
    else
        assert_null(*t);
    return rc;
}

/* Loads, expects failure, checks the message holds want and no secrets. */
static void expect_error(const char *yaml, const char *want)
{
    kube_target *t;
    char err[1024] = "";
    int rc = load(yaml, &t, err, sizeof err);
    if (rc == 0 || !strstr(err, want))
        fail_msg("wanted an error containing \"%s\", got rc=%d err=\"%s\"", want, rc, err);
    assert_true(strncmp(err, "kubeconfig test.yaml: ", 22) == 0);
    assert_null(strchr(err, '\n'));
    assert_no_secrets(err);
}

/* Resolves with o and checks which server it picked. */
static void assert_resolves_to(const kube_load_opts *o, const char *server)
{
    kube_target *t;
    char err[512];
    if (kubeconfig_resolve(o, &t, err, sizeof err) < 0)
        fail_msg("resolve: %s", err);
    assert_string_equal(t->server, server);
    kube_target_free(t);
}

/* Loads text (with an optional context) and checks the server. */
static void assert_loads_to(const char *yaml, const char *context, const char *server)
{
    kube_target *t;
    char err[512];
    if (kubeconfig_load_text(yaml, strlen(yaml), "test.yaml", context, NULL, &t, err, sizeof err) < 0)
        fail_msg("load: %s", err);
    assert_string_equal(t->server, server);
    kube_target_free(t);
}

static void test_client_cert_data(void **state)
{
    (void)state;
    char *cl = fmt("    server: https://127.0.0.1:6443/\n    certificate-authority-data: %s", fx.ca_b64);
    char *us = fmt("    client-certificate-data: %s\n    client-key-data: %s", fx.cert_b64, fx.key_b64);
    char *y = kc_one(cl, us);
    kube_target *t;
    char err[512];
    assert_int_equal(load(y, &t, err, sizeof err), 0);
    assert_string_equal(t->server, "https://127.0.0.1:6443");
    assert_string_equal(t->context, "main");
    assert_string_equal(t->cluster, "c");
    assert_string_equal(t->user, "u");
    assert_string_equal(t->namespace, "default");
    assert_false(t->namespace_from_override);
    assert_string_equal(t->ca_pem, fx.ca_pem);
    assert_int_equal(t->ca_pem_len, strlen(fx.ca_pem));
    assert_string_equal(t->client_cert_pem, fx.cert_pem);
    assert_string_equal(t->client_key_pem, fx.key_pem);
    assert_int_equal(t->client_key_pem_len, strlen(fx.key_pem));
    assert_string_equal(t->cert_subject, "CN=hcpsim-admin,O=system:masters");
    assert_true(t->cert_not_after > time(NULL) + 86400L * 360);
    assert_int_equal(t->auth, KUBE_AUTH_CLIENT_CERT);
    assert_string_equal(kube_auth_kind_name(t->auth), "client certificate");
    assert_null(t->token);
    assert_null(t->exec);
    char warn[256];
    assert_int_equal(kube_target_warnings(t, time(NULL), warn, sizeof warn), 0);
    assert_string_equal(warn, "");
    kube_target_free(t);
    free(cl), free(us), free(y);
}

static void test_client_cert_files_relative(void **state)
{
    (void)state;
    char *sub = fmt("%s/rel", fx.dir);
    mkdir(sub, 0700);
    char *p1 = tk_writes(sub, "ca.crt", fx.ca_pem);
    char *p2 = tk_writes(sub, "client.crt", fx.cert_pem);
    char *p3 = tk_writes(sub, "client.key", fx.key_pem);
    char *p4 = tk_writes(sub, "token", "  " TOKEN "\n\n");
    char *y = kc_one("    server: kube.example:6443\n    certificate-authority: ca.crt",
                     "    client-certificate: client.crt\n    client-key: ./client.key\n    tokenFile: token");
    char *kc = tk_writes(sub, "config", y);
    kube_load_opts o = {.explicit_path = kc, .namespace_override = "clusters"};
    kube_target *t;
    char err[512];
    assert_int_equal(kubeconfig_resolve(&o, &t, err, sizeof err), 0);
    assert_string_equal(t->server, "https://kube.example:6443");
    assert_string_equal(t->origin, kc);
    assert_string_equal(t->ca_pem, fx.ca_pem);
    assert_string_equal(t->client_cert_pem, fx.cert_pem);
    assert_string_equal(t->client_key_pem, fx.key_pem);
    assert_string_equal(t->token, TOKEN);
    assert_string_equal(t->token_file, p4);
    assert_int_equal(t->auth, KUBE_AUTH_TOKEN_FILE);
    assert_string_equal(t->namespace, "clusters");
    assert_true(t->namespace_from_override);
    kube_target_free(t);

    /* A missing referenced file names the field and the resolved path. */
    unlink(p3);
    assert_int_equal(kubeconfig_resolve(&o, &t, err, sizeof err), -1);
    assert_non_null(strstr(err, "client-key"));
    assert_non_null(strstr(err, p3));
    assert_non_null(strstr(err, "No such file"));
    assert_non_null(strstr(err, kc));
    free(sub), free(p1), free(p2), free(p3), free(p4), free(y), free(kc);
}

static void test_token_basic_and_namespace(void **state)
{
    (void)state;
    char *y = fmt("clusters:\n- name: c\n  cluster: {server: 'https://h:1'}\n"
                  "users:\n- name: tok\n  user: {token: %s}\n- name: basic\n  user: {username: admin, password: %s}\n"
                  "- name: anon\n  user: {}\n"
                  "contexts:\n- name: a\n  context: {cluster: c, user: tok, namespace: clusters}\n"
                  "- name: b\n  context: {cluster: c, user: basic}\n- name: n\n  context: {cluster: c}\n"
                  "current-context: a\n",
                  TOKEN, PASSWORD);
    kube_target *t;
    char err[512];
    assert_int_equal(kubeconfig_load_text(y, strlen(y), "<demo>", NULL, NULL, &t, err, sizeof err), 0);
    assert_string_equal(t->token, TOKEN);
    assert_int_equal(t->auth, KUBE_AUTH_TOKEN);
    assert_string_equal(t->namespace, "clusters");
    assert_string_equal(t->origin, "<demo>");
    kube_target_free(t);
    assert_int_equal(kubeconfig_load_text(y, strlen(y), "<demo>", "b", "ns2", &t, err, sizeof err), 0);
    assert_string_equal(t->username, "admin");
    assert_string_equal(t->password, PASSWORD);
    assert_int_equal(t->auth, KUBE_AUTH_BASIC);
    assert_string_equal(t->namespace, "ns2");
    kube_target_free(t);
    assert_int_equal(kubeconfig_load_text(y, strlen(y), "<demo>", "n", NULL, &t, err, sizeof err), 0);
    assert_int_equal(t->auth, KUBE_AUTH_NONE);
    assert_string_equal(t->user, "");
    kube_target_free(t);
    free(y);

    /* Credentials over plain HTTP are loaded but announced. */
    y = kc_one("    server: http://h:8080", "    token: " TOKEN);
    assert_int_equal(load(y, &t, err, sizeof err), 0);
    char warn[256];
    assert_int_equal(kube_target_warnings(t, time(NULL), warn, sizeof warn), 1);
    assert_string_equal(warn, "plain HTTP: credentials are sent unencrypted");
    kube_target_free(t);
    free(y);

    char *both = kc_one("    server: https://h", "    token: " TOKEN "\n    username: x\n    password: " PASSWORD);
    expect_error(both, "more than one authentication method");
    free(both);
}

static void test_insecure(void **state)
{
    (void)state;
    char *y = kc_one("    server: https://h\n    insecure-skip-tls-verify: true\n    tls-server-name: api.x\n"
                     "    proxy-url: http://proxy:3128",
                     "    token: " TOKEN);
    kube_target *t;
    char err[512];
    assert_int_equal(load(y, &t, err, sizeof err), 0);
    assert_true(t->insecure_skip_tls_verify);
    assert_null(t->ca_pem);
    assert_string_equal(t->tls_server_name, "api.x");
    assert_string_equal(t->proxy_url, "http://proxy:3128");
    char warn[256];
    assert_int_equal(kube_target_warnings(t, time(NULL), warn, sizeof warn), 1);
    assert_non_null(strstr(warn, "TLS verification disabled"));
    kube_target_free(t);
    free(y);

    char *cl = fmt("    server: https://h\n    insecure-skip-tls-verify: true\n    certificate-authority-data: %s",
                   fx.ca_b64);
    y = kc_one(cl, "    {}");
    expect_error(y, "insecure-skip-tls-verify cannot be combined with certificate-authority-data");
    free(y), free(cl);
    expect_error(y = kc_one("    server: https://h\n    insecure-skip-tls-verify: \"maybe\"", "    {}"),
                 "insecure-skip-tls-verify must be true or false");
    free(y);
    expect_error(y = kc_one("    server: https://h\n    proxy-url: ftp://user:" PASSWORD "@proxy", "    {}"),
                 "proxy-url must be an http://, https:// or socks5:// URL");
    free(y);
    y = kc_one("    server: https://h\n    proxy-url: socks5://127.0.0.1:1080", "    {}");
    assert_int_equal(load(y, &t, err, sizeof err), 0);
    assert_string_equal(t->proxy_url, "socks5://127.0.0.1:1080");
    kube_target_free(t);
    free(y);

    /* A kubeconfig saved on Windows: byte order mark and CRLF line ends. */
    const char *crlf = "\xef\xbb\xbf" "current-context: x\r\nclusters:\r\n- name: c\r\n  cluster:\r\n"
                       "    server: https://crlf\r\ncontexts:\r\n- name: x\r\n  context: {cluster: c}\r\n";
    assert_loads_to(crlf, NULL, "https://crlf");
}

/* Three files: first definition of each name wins as a whole; current-context from the first that sets it. */
static void test_merge_three_files(void **state)
{
    (void)state;
    char *a = tk_writes(fx.dir, "merge-a",
                        "clusters:\n- name: shared\n  cluster: {server: 'https://from-a'}\n"
                        "users:\n- name: ua\n  user: {token: ta}\n"
                        "contexts:\n- name: ctx-a\n  context: {cluster: shared, user: ua}\n");
    char *b = tk_writes(fx.dir, "merge-b",
                        "current-context: ctx-b\n"
                        "clusters:\n- name: shared\n  cluster: {server: 'https://from-b', insecure-skip-tls-verify: true}\n"
                        "- name: only-b\n  cluster: {server: 'https://only-b'}\n"
                        "users:\n- name: ua\n  user: {token: tb}\n"
                        "contexts:\n- name: ctx-b\n  context: {cluster: shared, user: ua, namespace: nb}\n"
                        "- name: ctx-a\n  context: {cluster: only-b, user: ua}\n");
    char *c = tk_writes(fx.dir, "merge-c",
                        "current-context: ctx-c\n"
                        "clusters:\n- name: c3\n  cluster: {server: 'https://c3'}\n"
                        "contexts:\n- name: ctx-c\n  context: {cluster: c3}\n");
    /* A name defined twice in one later file is still an error, as kubectl reads each file whole. */
    char *dup = tk_writes(fx.dir, "merge-dup", "users:\n- name: ua\n  user: {}\n- name: ua\n  user: {}\n");
    char *dupenv = fmt("%s:%s", a, dup);
    kube_load_opts od = {.env_kubeconfig = dupenv};
    kube_target *t;
    char err[512];
    assert_int_equal(kubeconfig_resolve(&od, &t, err, sizeof err), -1);
    assert_non_null(strstr(err, "merge-dup: line 4: user \"ua\" is defined twice"));
    free(dup), free(dupenv);

    char *missing = fmt("%s/does-not-exist", fx.dir);
    char *env = fmt("::%s:%s::%s:%s:%s:", missing, a, b, c, a);
    kube_load_opts o = {.env_kubeconfig = env, .home = fx.dir};
    assert_int_equal(kubeconfig_resolve(&o, &t, err, sizeof err), 0);
    assert_string_equal(t->context, "ctx-b");        /* b is the first file that sets current-context */
    assert_string_equal(t->server, "https://from-a"); /* cluster "shared" from a, as a whole */
    assert_false(t->insecure_skip_tls_verify);
    assert_string_equal(t->token, "ta");
    assert_string_equal(t->namespace, "nb");
    kube_target_free(t);

    o.context = "ctx-a"; /* a's definition of ctx-a wins over b's */
    assert_resolves_to(&o, "https://from-a");
    o.context = "ctx-c";
    assert_int_equal(kubeconfig_resolve(&o, &t, err, sizeof err), 0);
    assert_string_equal(t->server, "https://c3");
    assert_int_equal(t->auth, KUBE_AUTH_NONE);
    kube_target_free(t);

    o.context = "nope";
    assert_int_equal(kubeconfig_resolve(&o, &t, err, sizeof err), -1);
    assert_non_null(strstr(err, "context \"nope\" not found (have: ctx-a, ctx-b, ctx-c)"));

    char **names;
    size_t n;
    char *cur;
    o.context = NULL;
    assert_int_equal(kubeconfig_contexts(&o, &names, &n, &cur, err, sizeof err), 0);
    assert_int_equal(n, 3);
    assert_string_equal(names[0], "ctx-a");
    assert_string_equal(names[1], "ctx-b");
    assert_string_equal(names[2], "ctx-c");
    assert_string_equal(cur, "ctx-b");
    kube_strv_free(names, n);
    free(cur);
    /* the same names from text in memory: one file's contexts, in its order */
    const char *text_b = "contexts:\n- name: ctx-b\n  context: {cluster: shared}\n- name: ctx-a\n  context: {}\n";
    assert_int_equal(kubeconfig_contexts_text(text_b, strlen(text_b), &names, &n, err, sizeof err), 0);
    assert_int_equal(n, 2);
    assert_string_equal(names[0], "ctx-b");
    assert_string_equal(names[1], "ctx-a");
    kube_strv_free(names, n);
    free(a), free(b), free(c), free(missing), free(env);
}

static void test_context_errors(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    buf_puts(&b, "clusters:\n- name: c\n  cluster: {server: 'https://h'}\ncontexts:\n");
    for (int i = 0; i < 8; i++)
        buf_printf(&b, "- name: ctx%d\n  context: {cluster: c}\n", i);
    buf_puts(&b, "- name: dangling\n  context: {cluster: gone}\n- name: nouser\n  context: {cluster: c, user: who}\n");
    expect_error(buf_str(&b), "no current-context is set; pass --context (have: ctx0, ctx1, ctx2, ctx3, ctx4, ... 5 more)");
    kube_target *t;
    char err[512];
    assert_int_equal(kubeconfig_load_text(b.data, b.len, "test.yaml", "dangling", NULL, &t, err, sizeof err), -1);
    assert_non_null(strstr(err, "refers to cluster \"gone\", which is not defined"));
    assert_int_equal(kubeconfig_load_text(b.data, b.len, "test.yaml", "nouser", NULL, &t, err, sizeof err), -1);
    assert_non_null(strstr(err, "refers to user \"who\", which is not defined"));
    assert_int_equal(kubeconfig_load_text(b.data, b.len, "test.yaml", "ctx7", NULL, &t, err, sizeof err), 0);
    kube_target_free(t);
    buf_free(&b);

    expect_error("contexts:\n- name: x\n  context: {cluster: c}\n- name: x\n  context: {cluster: d}\n",
                 "line 4: context \"x\" is defined twice");
    expect_error("clusters:\n- name: c\n  cluster: {insecure-skip-tls-verify: true}\ncurrent-context: x\n"
                 "contexts:\n- name: x\n  context: {cluster: c}\n",
                 "cluster \"c\" has no server");
    expect_error("clusters:\n- name: c\n  cluster: {server: 'ftp://h'}\ncurrent-context: x\n"
                 "contexts:\n- name: x\n  context: {cluster: c}\n",
                 "server must be an https:// (or http://) URL");
    expect_error("", "no current-context is set; pass --context (have: none)");
    expect_error("clusters:\n- name: c\n  cluster: {server: 'https:///'}\ncurrent-context: x\n"
                 "contexts:\n- name: x\n  context: {cluster: c}\n",
                 "server has no host");
    /* userinfo in the server URL would reach the header and every error: refused, without echoing it */
    expect_error("clusters:\n- name: c\n  cluster: {server: 'https://bob:" PASSWORD "@h:6443/api'}\n"
                 "current-context: x\ncontexts:\n- name: x\n  context: {cluster: c}\n",
                 "server must not carry credentials");
    expect_error("clusters:\n- name: c\n  cluster: {server: 'bob:" PASSWORD "@h'}\n"
                 "current-context: x\ncontexts:\n- name: x\n  context: {cluster: c}\n",
                 "server must not carry credentials");
    /* an '@' after the host is a path or query, not userinfo */
    kube_target *at;
    char aterr[512];
    const char *path_at = "clusters:\n- name: c\n  cluster: {server: 'https://h/x@y'}\ncurrent-context: x\n"
                          "contexts:\n- name: x\n  context: {cluster: c}\n";
    assert_int_equal(kubeconfig_load_text(path_at, strlen(path_at), "test.yaml", NULL, NULL, &at, aterr, sizeof aterr),
                     0);
    assert_string_equal(at->server, "https://h/x@y");
    kube_target_free(at);
}

static void test_opts_from_env(void **state)
{
    (void)state;
    char *home = getenv("HOME") ? xstrdup(getenv("HOME")) : NULL;
    setenv("KUBECONFIG", "/a:/b", 1);
    setenv("HOME", "/home/someone", 1);
    setenv("KUBERNETES_SERVICE_HOST", "10.1.2.3", 1);
    unsetenv("KUBERNETES_SERVICE_PORT");
    kube_load_opts o;
    memset(&o, 0xff, sizeof o); /* every field is set, none left over */
    kube_load_opts_from_env(&o);
    assert_string_equal(o.env_kubeconfig, "/a:/b");
    assert_string_equal(o.home, "/home/someone");
    assert_string_equal(o.incluster_host, "10.1.2.3");
    assert_null(o.incluster_port);
    assert_null(o.explicit_path);
    assert_null(o.context);
    assert_null(o.namespace_override);
    assert_null(o.incluster_root);
    unsetenv("KUBECONFIG");
    unsetenv("KUBERNETES_SERVICE_HOST");
    if (home)
        setenv("HOME", home, 1);
    else
        unsetenv("HOME");
    free(home);
}

static void test_resolution_order(void **state)
{
    (void)state;
    char *home = fmt("%s/home", fx.dir);
    char *kube = fmt("%s/.kube", home);
    mkdir(home, 0700);
    mkdir(kube, 0700);
    char *homecfg = tk_writes(kube, "config", "current-context: h\nclusters:\n- name: c\n  cluster: {server: 'https://home'}\n"
                                              "contexts:\n- name: h\n  context: {cluster: c}\n");
    char *explicit = tk_writes(fx.dir, "explicit", "current-context: e\nclusters:\n- name: c\n  cluster: {server: 'https://explicit'}\n"
                                                   "contexts:\n- name: e\n  context: {cluster: c}\n");
    kube_target *t;
    char err[512];
    kube_load_opts o = {.home = home, .env_kubeconfig = ""};
    assert_int_equal(kubeconfig_resolve(&o, &t, err, sizeof err), 0); /* empty KUBECONFIG = unset */
    assert_string_equal(t->server, "https://home");
    assert_string_equal(t->origin, homecfg);
    kube_target_free(t);
    o.env_kubeconfig = explicit;
    assert_resolves_to(&o, "https://explicit");
    o.explicit_path = homecfg;
    assert_resolves_to(&o, "https://home");

    /* --kubeconfig: only that file, and missing is an error. */
    char *missing = fmt("%s/missing-config", fx.dir);
    o.explicit_path = missing;
    assert_int_equal(kubeconfig_resolve(&o, &t, err, sizeof err), -1);
    char *want = fmt("kubeconfig %s: No such file or directory", missing);
    assert_string_equal(err, want);
    free(want);
    /* A folder is not a kubeconfig. */
    o.explicit_path = fx.dir;
    assert_int_equal(kubeconfig_resolve(&o, &t, err, sizeof err), -1);
    assert_non_null(strstr(err, "Is a directory"));
    /* KUBECONFIG with only missing files, not in a cluster. */
    o.explicit_path = NULL;
    o.env_kubeconfig = missing;
    assert_int_equal(kubeconfig_resolve(&o, &t, err, sizeof err), -1);
    assert_non_null(strstr(err, "none of the KUBECONFIG files exist"));
    /* Nothing at all. */
    kube_load_opts none = {.home = fx.dir};
    assert_int_equal(kubeconfig_resolve(&none, &t, err, sizeof err), -1);
    assert_non_null(strstr(err, "no configuration found"));
    free(home), free(kube), free(homecfg), free(explicit), free(missing);
}

static void test_in_cluster(void **state)
{
    (void)state;
    char *root = fmt("%s/sa", fx.dir);
    mkdir(root, 0700);
    char *p1 = tk_writes(root, "token", TOKEN "\n");
    char *p2 = tk_writes(root, "ca.crt", fx.ca_pem);
    char *p3 = tk_writes(root, "namespace", "hypershift\n");
    kube_load_opts o = {.home = fx.dir, .incluster_root = root, .incluster_host = "10.0.0.1", .incluster_port = "6443"};
    kube_target *t;
    char err[512];
    assert_int_equal(kubeconfig_resolve(&o, &t, err, sizeof err), 0);
    assert_true(t->in_cluster);
    assert_string_equal(t->server, "https://10.0.0.1:6443");
    assert_string_equal(t->token, TOKEN);
    assert_string_equal(t->ca_pem, fx.ca_pem);
    assert_string_equal(t->namespace, "hypershift");
    assert_int_equal(t->auth, KUBE_AUTH_TOKEN_FILE);
    kube_target_free(t);

    o.incluster_host = "fd00::1";
    o.incluster_port = NULL;
    o.namespace_override = "other";
    assert_int_equal(kubeconfig_resolve(&o, &t, err, sizeof err), 0);
    assert_string_equal(t->server, "https://[fd00::1]:443");
    assert_string_equal(t->namespace, "other");
    kube_target_free(t);

    unlink(p1);
    assert_int_equal(kubeconfig_resolve(&o, &t, err, sizeof err), -1);
    assert_non_null(strstr(err, "in-cluster"));
    assert_non_null(strstr(err, "token"));
    p1 = (free(p1), tk_writes(root, "token", TOKEN));
    p2 = (free(p2), tk_writes(root, "ca.crt", "not a certificate\n"));
    assert_int_equal(kubeconfig_resolve(&o, &t, err, sizeof err), -1);
    assert_non_null(strstr(err, "ca.crt"));
    assert_no_secrets(err);

    /* An empty kubeconfig (as ~/.kube/config) does not stop the in-cluster fallback. */
    p2 = (free(p2), tk_writes(root, "ca.crt", fx.ca_pem));
    char *empty = tk_writes(fx.dir, "empty-config", "apiVersion: v1\nkind: Config\npreferences: {}\n");
    o.env_kubeconfig = empty;
    assert_int_equal(kubeconfig_resolve(&o, &t, err, sizeof err), 0);
    assert_true(t->in_cluster);
    kube_target_free(t);
    o.incluster_host = NULL;
    assert_int_equal(kubeconfig_resolve(&o, &t, err, sizeof err), -1);
    assert_non_null(strstr(err, "no current-context is set"));
    free(root), free(p1), free(p2), free(p3), free(empty);
}

static void test_exec_config(void **state)
{
    (void)state;
    char *y = kc_one("    server: https://h",
                     "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: ./bin/get-token\n"
                     "      args: [--cluster, x]\n      env:\n      - {name: A, value: one}\n      - name: B\n"
                     "      interactiveMode: Never\n      provideClusterInfo: true\n      installHint: install it");
    kube_target *t;
    char err[512];
    assert_int_equal(load(y, &t, err, sizeof err), 0);
    assert_int_equal(t->auth, KUBE_AUTH_EXEC);
    assert_string_equal(t->exec->command, "./bin/get-token"); /* in-memory text: relative to "." */
    assert_int_equal(t->exec->nargs, 2);
    assert_string_equal(t->exec->args[1], "x");
    assert_null(t->exec->args[2]);
    assert_int_equal(t->exec->nenv, 2);
    assert_string_equal(t->exec->env[0], "A=one");
    assert_string_equal(t->exec->env[1], "B=");
    assert_int_equal(t->exec->interactive_mode, KUBE_INTERACTIVE_NEVER);
    assert_true(t->exec->provide_cluster_info);
    assert_string_equal(t->exec->install_hint, "install it");
    kube_target_free(t);
    free(y);

    y = kc_one("    server: https://h", "    exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: plugin}");
    assert_int_equal(load(y, &t, err, sizeof err), 0);
    assert_int_equal(t->exec->interactive_mode, KUBE_INTERACTIVE_IF_AVAILABLE);
    assert_string_equal(t->exec->command, "plugin"); /* no '/': searched in PATH at run time */
    assert_int_equal(t->exec->nargs, 0);
    assert_non_null(t->exec->args);
    kube_target_free(t);
    free(y);

    expect_error(y = kc_one("    server: https://h", "    exec: {apiVersion: client.authentication.k8s.io/v1, command: p}"),
                 "exec interactiveMode is required for client.authentication.k8s.io/v1");
    free(y);
    expect_error(y = kc_one("    server: https://h", "    exec: {apiVersion: client.authentication.k8s.io/v1alpha1, command: p}"),
                 "exec apiVersion \"client.authentication.k8s.io/v1alpha1\" is not supported");
    free(y);
    expect_error(y = kc_one("    server: https://h", "    exec: {apiVersion: client.authentication.k8s.io/v1beta1}"),
                 "exec command is required");
    free(y);
    expect_error(y = kc_one("    server: https://h", "    exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: p, "
                                                    "interactiveMode: Sometimes}"),
                 "interactiveMode must be Never, IfAvailable or Always");
    free(y);
    expect_error(y = kc_one("    server: https://h", "    exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: p, "
                                                    "env: {A: b}}"),
                 "exec env must be a list, got a map");
    free(y);
    expect_error(y = kc_one("    server: https://h", "    auth-provider: {name: oidc, config: {id-token: " TOKEN "}}"),
                 "auth-provider \"oidc\" is not supported (kubectl removed it)");
    free(y);
}

static void test_cert_problems(void **state)
{
    (void)state;
    char *us, *y;
    us = fmt("    client-certificate-data: %s\n    client-key-data: %s", fx.cert_b64, fx.other_key_b64);
    expect_error(y = kc_one("    server: https://h", us), "user \"u\": client-key-data does not match client-certificate-data");
    free(us), free(y);
    us = fmt("    client-certificate-data: %s\n    client-key-data: %s", fx.cert_b64, fx.encrypted_key_b64);
    expect_error(y = kc_one("    server: https://h", us), "client key is encrypted");
    free(us), free(y);
    us = fmt("    client-certificate-data: %s", fx.cert_b64);
    expect_error(y = kc_one("    server: https://h", us), "client-certificate-data is set but client-key(-data) is not");
    free(us), free(y);
    us = fmt("    client-certificate-data: %s\n    client-key-data: %s\n    client-key: k.pem", fx.cert_b64, fx.key_b64);
    expect_error(y = kc_one("    server: https://h", us), "both client-key and client-key-data are set");
    free(us), free(y);
    /* A key given as the certificate. */
    us = fmt("    client-certificate-data: %s\n    client-key-data: %s", fx.key_b64, fx.key_b64);
    expect_error(y = kc_one("    server: https://h", us), "client certificate holds no PEM certificate");
    free(us), free(y);

    /* Bad base64: names the field, never echoes the value. */
    us = fmt("    client-certificate-data: %s\n    client-key-data: %.60s!!%s", fx.cert_b64, fx.key_b64, fx.key_b64 + 60);
    expect_error(y = kc_one("    server: https://h", us), "line 12: user \"u\": client-key-data is not valid base64");
    free(us), free(y);
    expect_error(y = kc_one("    server: https://h\n    certificate-authority-data: QUJD-RA==", "    {}"),
                 "certificate-authority-data is not valid base64");
    free(y);
    expect_error(y = kc_one("    server: https://h\n    certificate-authority-data: QUJDRA=", "    {}"),
                 "certificate-authority-data is not valid base64");
    free(y);
    /* Valid base64 of something that is no certificate. */
    expect_error(y = kc_one("    server: https://h\n    certificate-authority-data: aGVsbG8gd29ybGQK", "    {}"),
                 "certificate-authority-data holds no certificate");
    free(y);
    /* A CA file with no certificate in it. */
    char *p = tk_writes(fx.dir, "empty-ca.crt", "# nothing here\n");
    char *cl = fmt("    server: https://h\n    certificate-authority: %s", p);
    expect_error(y = kc_one(cl, "    {}"), "holds no certificate");
    free(y), free(p), free(cl);

    /* An expired certificate loads, and the expiry is reported. */
    us = fmt("    client-certificate-data: %s\n    client-key-data: %s", fx.expired_cert_b64, fx.expired_key_b64);
    y = kc_one("    server: https://h", us);
    kube_target *t;
    char err[512], warn[256];
    assert_int_equal(load(y, &t, err, sizeof err), 0);
    assert_true(t->cert_not_after < time(NULL));
    assert_int_equal(kube_target_warnings(t, time(NULL), warn, sizeof warn), 1);
    assert_non_null(strstr(warn, "client certificate expired 20"));
    /* ... and a valid one near its end is announced. */
    assert_int_equal(kube_target_warnings(t, t->cert_not_after - 3 * 3600, warn, sizeof warn), 1);
    assert_string_equal(warn, "client certificate expires in 3h");
    kube_target_free(t);
    free(us), free(y);
}

static void test_hostile_yaml(void **state)
{
    (void)state;
    expect_error("clusters:\n- name: c\n  cluster:\n    server: https://h\n   bad: : x\n", "line ");
    expect_error("current-context: x\nkey: [unclosed\n", "line ");
    expect_error("clusters: {c: {server: 'https://h'}}\n", "line 1: \"clusters\" must be a list, got a map");
    expect_error("- a\n- b\n", "line 1: a kubeconfig must be a map, got a list");
    expect_error("users:\n- name: u\n  user: [a, b]\n", "line 3: user \"u\": \"user\" must be a map, got a list");
    expect_error("users:\n- just-a-string\n", "users entries must be maps");
    expect_error("contexts:\n- context: {cluster: c}\n", "a context entry has no name");
    expect_error("current-context: [a]\n", "current-context must be a string");
    char *y = kc_one("    server: {host: h}", "    {}");
    expect_error(y, "server must be a string, got a map");
    free(y);
    y = kc_one("    server: https://h", "    token: [" TOKEN "]");
    expect_error(y, "token must be a string, got a list");
    free(y);
    /* Header injection: a token with a newline or NUL. */
    y = kc_one("    server: https://h", "    token: \"" TOKEN "\\r\\nX-Evil: 1\"");
    expect_error(y, "token contains control characters or NUL bytes");
    free(y);
    y = kc_one("    server: https://h", "    token: \"" TOKEN "\\0tail\"");
    expect_error(y, "token contains control characters or NUL bytes");
    free(y);
    /* NUL bytes in the file itself. */
    char withnul[] = "current-context: x\n\0clusters: []\n";
    kube_target *t;
    char err[512];
    assert_int_equal(kubeconfig_load_text(withnul, sizeof withnul - 1, "test.yaml", NULL, NULL, &t, err, sizeof err), -1);
    assert_non_null(strstr(err, "control characters are not allowed"));
    /* Unknown alias, alias cycle. */
    expect_error("a: *nothing\n", "unknown alias *nothing");
    expect_error("a: &x [1, *x]\n", "alias *x refers to a node that contains it");
    /* Nesting: block and flow, 10,000 deep. */
    buf b = BUF_INIT;
    for (int i = 0; i < 10000; i++)
        buf_putc(&b, '[');
    for (int i = 0; i < 10000; i++)
        buf_putc(&b, ']');
    expect_error(buf_str(&b), "nesting deeper than 100 levels");
    buf_reset(&b);
    for (int i = 0; i < 10000; i++)
        buf_printf(&b, "%*sk%d:\n", i % 200, "", i); /* indentation wraps: libyaml or we reject it */
    assert_int_equal(kubeconfig_load_text(b.data, b.len, "test.yaml", NULL, NULL, &t, err, sizeof err), -1);
    buf_reset(&b);
    buf_puts(&b, "x:");
    for (int i = 0; i < 150; i++)
        buf_printf(&b, "\n%*sk:", 2 * (i + 1), "");
    buf_puts(&b, " v\n");
    expect_error(buf_str(&b), "nesting deeper than 100 levels");
    buf_free(&b);
}

static void test_huge_and_bombs(void **state)
{
    (void)state;
    /* A 3 MB server value loads (no fixed-size buffers), a token too. */
    buf b = BUF_INIT;
    buf_puts(&b, "current-context: x\nclusters:\n- name: c\n  cluster:\n    server: https://");
    for (int i = 0; i < 3 * 1024 * 1024; i++)
        buf_putc(&b, 'a');
    buf_puts(&b, "\ncontexts:\n- name: x\n  context: {cluster: c}\n");
    kube_target *t;
    char err[512];
    assert_int_equal(kubeconfig_load_text(b.data, b.len, "test.yaml", NULL, NULL, &t, err, sizeof err), 0);
    assert_int_equal(strlen(t->server), 8 + 3 * 1024 * 1024);
    kube_target_free(t);
    /* A file over the 16 MiB cap is refused by name. */
    while (b.len < ((size_t)17 << 20))
        buf_puts(&b, "# padding padding padding padding padding padding padding padding\n");
    char *big = tk_write(fx.dir, "big-config", b.data, b.len);
    kube_load_opts o = {.explicit_path = big};
    assert_int_equal(kubeconfig_resolve(&o, &t, err, sizeof err), -1);
    assert_non_null(strstr(err, "larger than 16 MiB"));
    unlink(big);
    free(big);
    buf_free(&b);

    /* Billion laughs: aliases share nodes, so this is cheap and simply loads. */
    const char *bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                       "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                       "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
                       "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
                       "clusters: *h\n";
    expect_error(bomb, "clusters entries must be maps");
}

static void test_json_flow_anchors(void **state)
{
    (void)state;
    /* JSON is YAML: kubeconfigs written as JSON load too. */
    char *json = fmt("{\"apiVersion\":\"v1\",\"kind\":\"Config\",\"current-context\":\"j\","
                     "\"clusters\":[{\"name\":\"c\",\"cluster\":{\"server\":\"https://json:6443\","
                     "\"insecure-skip-tls-verify\":true}}],"
                     "\"users\":[{\"name\":\"u\",\"user\":{\"token\":\"%s\"}}],"
                     "\"contexts\":[{\"name\":\"j\",\"context\":{\"cluster\":\"c\",\"user\":\"u\",\"namespace\":\"n\"}}],"
                     "\"preferences\":{}}",
                     TOKEN);
    kube_target *t;
    char err[512];
    assert_int_equal(load(json, &t, err, sizeof err), 0);
    assert_string_equal(t->server, "https://json:6443");
    assert_true(t->insecure_skip_tls_verify);
    assert_string_equal(t->token, TOKEN);
    assert_string_equal(t->namespace, "n");
    kube_target_free(t);
    free(json);

    const char *anchors = "base: &base {server: 'https://anchored', tls-server-name: api}\n"
                          "clusters:\n- name: c\n  cluster:\n    <<: *base\n    tls-server-name: override\n"
                          "- name: d\n  cluster: *base\n"
                          "contexts:\n- name: x\n  context: &ctx {cluster: c}\n- name: y\n  context: {<<: *ctx, cluster: d}\n"
                          "current-context: x\n";
    assert_int_equal(load(anchors, &t, err, sizeof err), 0);
    assert_string_equal(t->server, "https://anchored");
    assert_string_equal(t->tls_server_name, "override");
    kube_target_free(t);
    assert_int_equal(kubeconfig_load_text(anchors, strlen(anchors), "test.yaml", "y", NULL, &t, err, sizeof err), 0);
    assert_string_equal(t->tls_server_name, "api");
    kube_target_free(t);

    /* Only the first document counts; unknown fields are ignored. */
    const char *multi = "current-context: x\nclusters:\n- name: c\n  cluster: {server: 'https://one', future-field: 1}\n"
                        "contexts:\n- name: x\n  context: {cluster: c, extensions: [{name: e}]}\n---\nclusters: 7\n";
    assert_loads_to(multi, NULL, "https://one");
}

static void test_kubeyaml_basics(void **state)
{
    (void)state;
    ky_doc d;
    char err[256];
    const char *text = "a: ~\nb: 'null'\nc: yes\nd: \"true\"\ne:\n";
    assert_int_equal(ky_parse(text, strlen(text), &d, err, sizeof err), 0);
    assert_true(ky_is_null(ky_get(d.root, "a")));
    assert_false(ky_is_null(ky_get(d.root, "b")));
    bool v = false;
    assert_true(ky_bool(ky_get(d.root, "c"), &v));
    assert_true(v);
    assert_false(ky_bool(ky_get(d.root, "d"), &v)); /* quoted: a string, not a boolean */
    assert_true(ky_is_null(ky_get(d.root, "e")));
    assert_null(ky_get(d.root, "zzz"));
    assert_int_equal(ky_get(d.root, "c")->line, 3);
    ky_free(&d);
    const char *twice = "k: first\nk: second\n";
    assert_int_equal(ky_parse(twice, strlen(twice), &d, err, sizeof err), 0);
    assert_string_equal(ky_get(d.root, "k")->str, "second"); /* as kubectl */
    ky_free(&d);
    assert_int_equal(ky_parse("", 0, &d, err, sizeof err), 0);
    assert_null(d.root);
    ky_free(&d);
    assert_int_equal(ky_parse("{[a]: 1}", 8, &d, err, sizeof err), -1);
    assert_non_null(strstr(err, "a map key must be a plain value"));
}

/* Mutated kubeconfigs (a fixed seed, so failures repeat): never a crash, and every failure is one
 * line that starts with "kubeconfig " and holds no secret. */
static void test_mutations(void **state)
{
    (void)state;
    static const char *const seeds[] = {
        "apiVersion: v1\nkind: Config\ncurrent-context: main\nclusters:\n- name: c\n  cluster:\n"
        "    server: https://127.0.0.1:6443/\n    certificate-authority-data: QUJDRA==\n"
        "    insecure-skip-tls-verify: false\nusers:\n- name: u\n  user:\n    token: " TOKEN "\n    exec:\n"
        "      apiVersion: client.authentication.k8s.io/v1\n      command: ./x\n      args: [a, b]\n"
        "      env: [{name: A, value: b}]\n      interactiveMode: Never\ncontexts:\n- name: main\n"
        "  context: {cluster: c, user: u, namespace: n}\n",
        "{\"current-context\":\"j\",\"clusters\":[{\"name\":\"c\",\"cluster\":{\"server\":\"h\"}}],"
        "\"contexts\":[{\"name\":\"j\",\"context\":{\"cluster\":\"c\",\"user\":\"u\"}}],"
        "\"users\":[{\"name\":\"u\",\"user\":{\"username\":\"a\",\"password\":\"" PASSWORD "\"}}]}",
        "base: &b {server: x}\nclusters:\n- name: c\n  cluster: {<<: *b}\ncontexts:\n- name: x\n"
        "  context: &c {cluster: c}\n- {name: y, context: *c}\ncurrent-context: y\n",
    };
    static const char alphabet[] = ":-[]{}&*!|>'\"\n #,?%@`\\\t=<0aZ";
    uint32_t rng = 12345;
    int loaded = 0;
    for (int iter = 0; iter < 20000; iter++) {
        rng = rng * 1103515245u + 12345u;
        const char *seed = seeds[(rng >> 16) % 3];
        size_t len = strlen(seed);
        char *m = xmalloc(len + 16);
        memcpy(m, seed, len);
        for (int k = 0, edits = 1 + (int)((rng >> 8) % 6); k < edits; k++) {
            rng = rng * 1103515245u + 12345u;
            size_t pos = (rng >> 4) % len;
            char ch = alphabet[(rng >> 20) % (sizeof alphabet - 1)];
            switch ((rng >> 28) % 4) {
            case 0: m[pos] = ch; break;
            case 1: memmove(m + pos, m + pos + 1, len - pos - 1), len--; break;
            case 2: if (k < 8) { memmove(m + pos + 1, m + pos, len - pos); m[pos] = ch; len++; } break;
            default: m[pos] = (char)(rng >> 12); break;
            }
        }
        kube_target *t = NULL;
        char err[1024] = "";
        if (kubeconfig_load_text(m, len, "test.yaml", NULL, iter % 2 ? "ns" : NULL, &t, err, sizeof err) == 0) {
            loaded++;
            kube_target_free(t);
        } else {
            assert_true(strncmp(err, "kubeconfig test.yaml: ", 22) == 0);
            assert_null(strchr(err, '\n'));
            assert_null(strstr(err, TOKEN));
            assert_null(strstr(err, PASSWORD));
        }
        free(m);
    }
    assert_true(loaded > 100); /* the mutations are not all fatal: both paths are exercised */
}

/* The kubeconfigs the simulator hands out (admin: client certificate and token; read-only: token)
 * load as they are, pointing at its URL with its CA. */
static void test_simulator_kubeconfigs(void **state)
{
    (void)state;
    char err[512];
    sim_server_config cfg = {.listen = "127.0.0.1:0", .fleet = "none"};
    sim_server *s = sim_server_start(&cfg, err, sizeof err);
    if (!s)
        fail_msg("simulator: %s", err);
    const char *admin = sim_server_admin_kubeconfig(s), *ro = sim_server_readonly_kubeconfig(s);
    kube_target *t;
    assert_int_equal(kubeconfig_load_text(admin, strlen(admin), "<demo>", NULL, NULL, &t, err, sizeof err), 0);
    assert_string_equal(t->server, sim_server_url(s));
    assert_int_equal(t->auth, KUBE_AUTH_CLIENT_CERT);
    assert_non_null(t->ca_pem);
    assert_non_null(strstr(t->cert_subject, "CN="));
    assert_true(t->cert_not_after > time(NULL));
    kube_target_free(t);
    assert_int_equal(kubeconfig_load_text(admin, strlen(admin), "<demo>", "hcpsim-token", NULL, &t, err, sizeof err), 0);
    assert_int_equal(t->auth, KUBE_AUTH_TOKEN);
    assert_non_null(t->token);
    kube_target_free(t);
    assert_int_equal(kubeconfig_load_text(ro, strlen(ro), "<demo>", NULL, NULL, &t, err, sizeof err), 0);
    assert_int_equal(t->auth, KUBE_AUTH_TOKEN);
    assert_string_equal(t->server, sim_server_url(s));
    kube_target_free(t);
    sim_server_stop(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_client_cert_data),
        cmocka_unit_test(test_client_cert_files_relative),
        cmocka_unit_test(test_token_basic_and_namespace),
        cmocka_unit_test(test_insecure),
        cmocka_unit_test(test_merge_three_files),
        cmocka_unit_test(test_context_errors),
        cmocka_unit_test(test_opts_from_env),
        cmocka_unit_test(test_resolution_order),
        cmocka_unit_test(test_in_cluster),
        cmocka_unit_test(test_exec_config),
        cmocka_unit_test(test_cert_problems),
        cmocka_unit_test(test_hostile_yaml),
        cmocka_unit_test(test_huge_and_bombs),
        cmocka_unit_test(test_json_flow_anchors),
        cmocka_unit_test(test_kubeyaml_basics),
        cmocka_unit_test(test_mutations),
        cmocka_unit_test(test_simulator_kubeconfigs),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
