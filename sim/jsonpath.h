/* The JSONPath subset that CRD printer columns use. */
#ifndef HCP_SIM_JSONPATH_H
#define HCP_SIM_JSONPATH_H

#include <cjson/cJSON.h>

/* The subset of JSONPath that printer columns use: .a.b, [N], [*], [?(@.k=="v")], [?(@.k!="v")],
 * with the first-match rule. NULL when nothing matches or the path is malformed. */
const cJSON *sim_jsonpath_first(const cJSON *root, const char *path);

#endif
