/* The simulator's HTTPS API server: a management cluster's kube-apiserver on loopback, backed by the
 * world's store. libmicrohttpd (GnuTLS) with a thread per connection, so a watch can block; client
 * certificates are requested and verified against the simulator's own CA.
 *
 * Identities: admin (the client certificate of the admin kubeconfig, or the admin bearer token of its
 * "hcpsim-token" context), read-only (the bearer token of the read-only kubeconfig: 403 on every
 * mutating verb), anonymous (401 on everything, /version included). See docs/simulator.md. */
#ifndef HCP_SIM_SERVER_H
#define HCP_SIM_SERVER_H

#include <stddef.h>
#include <stdint.h>

typedef struct sim_server_config {
    const char *listen;                   /* "127.0.0.1:0" picks a free port; "[::1]:0", "localhost:8443" */
    const char *fleet;                    /* "demo" (default), "none", "N" */
    uint64_t seed;
    const char *faults;                   /* NULL or a fault spec (sim/faults.h) */
    const char *request_log;              /* NULL or a file path (appended to) */
    int tick_ms;                          /* controller tick; 0 = manual only */
    const char *kubeconfig_path;          /* admin kubeconfig written here when ready (may be NULL) */
    const char *readonly_kubeconfig_path; /* may be NULL */
    const char *crd_dir;                  /* NULL, or a folder of CRDs whose OpenAPI v3 is served */
} sim_server_config;

typedef struct sim_server sim_server;

/* Starts serving; returns once the port answers and the kubeconfig files (if asked for) are written.
 * NULL + a readable message in err on failure (bad listen address, bad fleet or faults, port taken). */
sim_server *sim_server_start(const sim_server_config *cfg, char *err, size_t errlen);
const char *sim_server_url(const sim_server *s);              /* "https://127.0.0.1:PORT" */
const char *sim_server_admin_kubeconfig(const sim_server *s); /* YAML text */
const char *sim_server_readonly_kubeconfig(const sim_server *s);
/* Closes every watch, stops the listener and the connection threads, frees the world. NULL is fine. */
void sim_server_stop(sim_server *s);

#endif
