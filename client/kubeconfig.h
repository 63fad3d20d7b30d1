/* Kubeconfig resolution and loading, the way kubectl does it: --kubeconfig, else KUBECONFIG (several
 * files merged, first wins), else ~/.kube/config, else in-cluster service-account credentials.
 * The result is a kube_target: everything needed to reach and authenticate to one API server, with
 * certificates and keys as in-memory PEM blobs (nothing is ever written to disk).
 *
 * Errors are one line naming the file and the problem, e.g.
 *   kubeconfig /home/u/.kube/config: context "x" not found (have: a, b)
 * and never contain credentials (token text, key bytes, passwords). hcptui exits with status 2 on them. */
#ifndef HCP_CLIENT_KUBECONFIG_H
#define HCP_CLIENT_KUBECONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "client/textutil.h" /* kube_read_file, kube_strv_free, ... */

/* Default folder of the in-cluster service-account files (token, ca.crt, namespace). */
#define KUBE_INCLUSTER_ROOT "/var/run/secrets/kubernetes.io/serviceaccount"

/* Exec credential plugin API versions (client.authentication.k8s.io). */
#define KUBE_EXEC_API_V1      "client.authentication.k8s.io/v1"
#define KUBE_EXEC_API_V1BETA1 "client.authentication.k8s.io/v1beta1"

typedef enum kube_interactive {
    KUBE_INTERACTIVE_NEVER,        /* the plugin never gets the terminal */
    KUBE_INTERACTIVE_IF_AVAILABLE, /* gets it when the console can hand it over (v1beta1 default) */
    KUBE_INTERACTIVE_ALWAYS,       /* needs it: without a terminal the refresh fails */
} kube_interactive;

/* users[].user.exec of a kubeconfig. */
typedef struct kube_exec {
    char *command;          /* as written; relative paths with a '/' already resolved against the file's folder */
    char **args;            /* NULL-terminated (never NULL itself) */
    size_t nargs;
    char **env;             /* "NAME=value", NULL-terminated (never NULL itself); added to the plugin's env */
    size_t nenv;
    char *api_version;      /* KUBE_EXEC_API_V1 or KUBE_EXEC_API_V1BETA1 (others are rejected at load) */
    kube_interactive interactive_mode;
    bool provide_cluster_info;
    char *install_hint;     /* NULL when none; shown when the command is not found */
} kube_exec;

/* How the user authenticates, for the header line and status messages. */
typedef enum kube_auth_kind {
    KUBE_AUTH_NONE,         /* anonymous */
    KUBE_AUTH_CLIENT_CERT,
    KUBE_AUTH_TOKEN,
    KUBE_AUTH_TOKEN_FILE,   /* tokenFile and in-cluster: re-read when the file changes */
    KUBE_AUTH_BASIC,
    KUBE_AUTH_EXEC,
} kube_auth_kind;

typedef struct kube_target {
    char *origin;           /* the kubeconfig file, "<demo>" or "in-cluster": for error messages */
    char *context;          /* context name ("" for in-cluster) */
    char *cluster;          /* cluster name */
    char *user;             /* user (authInfo) name, "" when the context names none */
    char *namespace;        /* --namespace, else the context's namespace, else "default" */
    bool namespace_from_override;   /* true when it came from --namespace */
    bool in_cluster;

    char *server;           /* "https://host:port[/path]", no trailing '/'; "https://" added when missing */
    char *ca_pem;           /* CA bundle (PEM), NUL-terminated; NULL = the system trust store */
    size_t ca_pem_len;
    bool insecure_skip_tls_verify;  /* the console must show a visible warning */
    char *tls_server_name;  /* NULL when unset */
    char *proxy_url;        /* NULL when unset */

    /* Client certificate and key (PEM, NUL-terminated), from the kubeconfig or from an exec plugin. */
    char *client_cert_pem, *client_key_pem;
    size_t client_cert_pem_len, client_key_pem_len;
    time_t cert_not_after;  /* client certificate notAfter, 0 = no certificate */
    char *cert_subject;     /* e.g. "CN=hcpsim-admin,O=system:masters"; NULL = no certificate */

    char *token;            /* bearer token (token, tokenFile or exec output); NULL = none */
    char *token_file;       /* path of tokenFile (resolved against the kubeconfig's folder), NULL = none */
    char *username, *password;      /* basic auth; NULL = none */
    kube_exec *exec;        /* NULL when none */

    kube_auth_kind auth;
    /* Exec plugin state (credentials.c keeps it up to date). */
    time_t token_expiry;    /* expirationTimestamp of the exec credential, 0 = none / no expiry */
    bool exec_fetched;      /* a credential from the plugin is held */
    int exec_failures;      /* failed runs in a row */
    time_t exec_retry_at;   /* after a failure: no automatic re-run before this (force ignores it) */
    time_t token_file_mtime;        /* to re-read tokenFile only when it changes ... */
    long token_file_mtime_ns;       /* ... (nanoseconds: rotations within a second count too) */
    long long token_file_size;
} kube_target;

typedef struct kube_load_opts {
    const char *explicit_path;      /* --kubeconfig (only that file; missing is an error); NULL = unset */
    const char *env_kubeconfig;     /* value of KUBECONFIG, NULL = unset */
    const char *home;               /* $HOME, NULL = unset (then ~/.kube/config is not tried) */
    const char *context;            /* --context, NULL = current-context */
    const char *namespace_override; /* --namespace, NULL = unset */
    const char *incluster_root;     /* NULL = KUBE_INCLUSTER_ROOT (tests pass a temp dir) */
    const char *incluster_host;     /* KUBERNETES_SERVICE_HOST, NULL = not in a cluster */
    const char *incluster_port;     /* KUBERNETES_SERVICE_PORT, NULL = "443" */
} kube_load_opts;

/* Fills o from the process environment (KUBECONFIG, HOME, KUBERNETES_SERVICE_HOST/PORT); the
 * pointers borrow getenv() strings. Callers then set explicit_path/context/namespace_override. */
void kube_load_opts_from_env(kube_load_opts *o);

/* Resolves and loads the target. 0 on success (*out owned by the caller, free with kube_target_free);
 * -1 with a one-line message in err. Does not run exec plugins: call kube_credentials_refresh()
 * (client/credentials.h) before the first request. Reads tokenFile. */
int kubeconfig_resolve(const kube_load_opts *o, kube_target **out, char *err, size_t errlen);

/* Same from kubeconfig text in memory (hcptui --demo). origin names it in errors ("<demo>");
 * relative paths resolve against the current directory. context/namespace_override may be NULL. */
int kubeconfig_load_text(const char *yaml, size_t len, const char *origin, const char *context,
                         const char *namespace_override, kube_target **out, char *err, size_t errlen);

/* The context names of the merged config, in file order (for ":ctx" completion), and the
 * current-context (NULL when none; may be NULL to skip). Free with kube_strv_free. */
int kubeconfig_contexts(const kube_load_opts *o, char ***names, size_t *n, char **current,
                        char *err, size_t errlen);
/* The context names of kubeconfig text in memory (hcptui --demo keeps its kubeconfig off disk), in
 * file order, each once. Entries without a usable name (missing, not a string, empty, with control
 * characters) are skipped. 0 with *names (free with kube_strv_free) and *n; -1 with a one-line
 * reason in err when the text is no YAML map, or contexts is there and no list. */
int kubeconfig_contexts_text(const char *yaml, size_t len, char ***names, size_t *n, char *err, size_t errlen);

/* Warnings the console shows in its header: insecure TLS, credentials over plain http://, client
 * certificate expired or expiring within 7 days. "; "-separated, "" when none. Returns their number. */
int kube_target_warnings(const kube_target *t, time_t now, char *out, size_t outlen);

const char *kube_auth_kind_name(kube_auth_kind k);  /* "client certificate", "token", ... */


/* (Re-)reads t->token_file into t->token: surrounding whitespace trimmed; an empty file or one with
 * control characters is an error. Used at load and by refresh (client/credentials.c). */
int kube_read_token_file(kube_target *t, char *err, size_t errlen);

void kube_target_free(kube_target *t);

#endif
