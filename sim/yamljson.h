/* Reading YAML documents (the CRDs) as cJSON. */
#ifndef HCP_SIM_YAMLJSON_H
#define HCP_SIM_YAMLJSON_H

#include <cjson/cJSON.h>
#include <stdio.h>

/* The first document of f, or NULL when it is not YAML. */
cJSON *sim_yaml_load(FILE *f);

#endif
