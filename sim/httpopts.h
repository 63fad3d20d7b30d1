/* The options a write request carries, read and validated as kube-apiserver's handlers do
 * (k8s.io/apiserver pkg/endpoints/handlers/{create,update,patch,delete}.go): dryRun from the query of a
 * create, update or patch; the DeleteOptions of a DELETE from its body, or from the query when the body
 * is empty. An unknown dryRun value is a 422 naming the options kind (CreateOptions, UpdateOptions,
 * PatchOptions, DeleteOptions in group meta.k8s.io), as ValidateDryRun words it. */
#ifndef HCP_SIM_HTTPOPTS_H
#define HCP_SIM_HTTPOPTS_H

#include <cjson/cJSON.h>
#include <stdbool.h>

#include "sim/httpapi.h"

/* dryRun and fieldValidation of a create, update or patch (options_kind "CreateOptions", ...). False
 * when it answered resp with the error; else sim_write_opts_done must follow the write. */
bool sim_write_opts_of(const sim_http_request *req, const char *options_kind, sim_write_opts *wo,
                       sim_http_response *resp);
/* After the write: its warnings become resp's Warning headers; frees what sim_write_opts_of made. */
void sim_write_opts_done(sim_write_opts *wo, sim_http_response *resp);
/* The DeleteOptions of a DELETE (never NULL on success: an empty one when nothing was sent), or NULL
 * when resp was answered with the error. body: the parsed request body, or NULL when empty (taken). */
cJSON *sim_delete_opts_of(const sim_http_request *req, cJSON *body, sim_http_response *resp);

#endif
