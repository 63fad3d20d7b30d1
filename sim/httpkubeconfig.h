/* The kubeconfigs hcpsim writes: cluster "hcpsim" with the CA embedded; the admin one has contexts
 * "hcpsim" (client certificate, current) and "hcpsim-token" (bearer token), the read-only one has
 * "hcpsim-readonly" (bearer token). Files are written atomically with mode 0600. */
#ifndef HCP_SIM_HTTPKUBECONFIG_H
#define HCP_SIM_HTTPKUBECONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/pki.h"

/* YAML texts; the caller frees. */
char *sim_kubeconfig_admin(const char *url, const sim_pki *pki, const char *token);
char *sim_kubeconfig_readonly(const char *url, const sim_pki *pki, const char *token);
/* A temporary file in the same folder, then rename: a reader never sees half of it. */
bool sim_write_private_file(const char *path, const char *text, char *err, size_t errlen);

#endif
