/* OpenAPI v3 (/openapi/v3 and one document per group-version) for the CRDs hcpsim is given with
 * --crds DIR, as apiextensions-apiserver publishes them: what kubectl explain, kubectl apply's field
 * validation and kubectl diff read. Without --crds there is none (404), as on a server that hides it. */
#ifndef HCP_SIM_OPENAPI_H
#define HCP_SIM_OPENAPI_H

#include <stddef.h>

typedef struct sim_openapi sim_openapi;

/* Reads every CustomResourceDefinition in DIR (*.yaml, *.json). NULL + err when DIR cannot be read. */
sim_openapi *sim_openapi_load(const char *dir, char *err, size_t errlen);
void sim_openapi_free(sim_openapi *o);
/* The JSON text served at path ("/openapi/v3", "/openapi/v3/apis/G/V"), or NULL (404). */
const char *sim_openapi_get(const sim_openapi *o, const char *path);

#endif
