/* Discovery documents, shaped as kube-apiserver serves them (the legacy, non-aggregated types, with
 * Content-Type application/json, which kubectl 1.32 accepts after asking for the aggregated form):
 * /version, /api, /apis, /api/v1, /apis/GROUP and /apis/GROUP/VERSION. Built from the kind table,
 * so a kind is declared once. Every function returns a new tree the caller frees, or NULL when the
 * group or version is not served. */
#ifndef HCP_SIM_DISCOVERY_H
#define HCP_SIM_DISCOVERY_H

#include <cjson/cJSON.h>

#define SIM_K8S_MAJOR "1"
#define SIM_K8S_MINOR "32"
#define SIM_K8S_GIT_VERSION "v1.32.0-hcpsim"

cJSON *sim_discovery_version(void);
/* server_address: "127.0.0.1:PORT", for serverAddressByClientCIDRs. */
cJSON *sim_discovery_api_versions(const char *server_address);
cJSON *sim_discovery_group_list(void);
cJSON *sim_discovery_group(const char *group);
/* group "" is the core group (/api/v1). */
cJSON *sim_discovery_resources(const char *group, const char *version);

#endif
