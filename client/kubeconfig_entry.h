/* Internal to client/: the parts of a loaded kubeconfig that kubeconfig.c merges (files and named
 * entries), and the decoding of one cluster, user or context entry into a kube_target
 * (kubeconfig_entry.c). Not for use outside client/. */
#ifndef HCP_CLIENT_KUBECONFIG_ENTRY_H
#define HCP_CLIENT_KUBECONFIG_ENTRY_H

#include <stdarg.h>
#include <stddef.h>

#include "client/kubeconfig.h"
#include "client/kubeyaml.h"

#define KC_MAX_PEM ((size_t)4 << 20)  /* a referenced certificate or key file */

typedef struct kc_file {
    char *path;   /* as given (or the origin of in-memory text) */
    char *dir;    /* folder for relative paths */
    ky_doc doc;
} kc_file;

typedef struct kc_entry {
    const char *name;
    const ky_node *body;   /* the cluster/user/context map, NULL when absent */
    const kc_file *file;
    int line;
    size_t order;          /* position over all files, for "first wins" and file order */
} kc_entry;

/* "kubeconfig FILE: " + the problem, into err; returns -1. The problem never holds credential values. */
int kc_fail(char *err, size_t errlen, const char *file, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The one formatter behind kc_fail and the field and credential errors: "kubeconfig FILE: WHERE"
 * (WHERE may be NULL: "line 3: user \"u\": ") and the problem. Returns -1. */
int kc_vfail(char *err, size_t errlen, const char *file, const char *where, const char *fmt, va_list ap)
    __attribute__((format(printf, 5, 0)));

/* Decode the entry's map into t (server, CA, TLS options / credentials). 0 or -1 with err. */
int kc_load_cluster(const kc_entry *e, kube_target *t, char *err, size_t errlen);
int kc_load_user(const kc_entry *e, kube_target *t, char *err, size_t errlen);
/* A context's cluster, user and namespace names (NULL when unset); they point into the entry's tree. */
int kc_context_refs(const kc_entry *ctx, const char **cluster, const char **user, const char **ns, char *err,
                    size_t errlen);
void kc_exec_free(kube_exec *x);

#endif
