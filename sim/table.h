/* Server-side Table output (Accept: application/json;as=Table;v=v1;g=meta.k8s.io), as kube-apiserver
 * makes it: for the HyperShift CRDs, Name plus the CRD's additionalPrinterColumns (their jsonPaths
 * evaluated with the first-match rule of the CRD table converter); for core kinds, the columns kubectl
 * users know (pods: Name, Ready, Status, Restarts, Age, IP, Node, ...). */
#ifndef HCP_SIM_TABLE_H
#define HCP_SIM_TABLE_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <time.h>

#include "sim/kinds.h"

typedef enum {
    SIM_TABLE_METADATA, /* includeObject=Metadata (the default): a PartialObjectMetadata per row */
    SIM_TABLE_OBJECT,   /* includeObject=Object: the whole object */
    SIM_TABLE_NONE,     /* includeObject=None */
} sim_table_include;

/* True when an Accept header asks for a meta.k8s.io Table (v1 or v1beta1) anywhere in its list. */
bool sim_accept_wants_table(const char *accept);
/* includeObject's value (NULL: the default); false for an unknown value. */
bool sim_table_include_parse(const char *value, sim_table_include *out);

/* A Table of a list (its items, with its resourceVersion and continue token). now: for the Age cells. */
cJSON *sim_table_of_list(const sim_kind *k, const cJSON *list, sim_table_include inc, time_t now);
/* A one-row Table of one object (a GET of a name, or one watch event). */
cJSON *sim_table_of_object(const sim_kind *k, const cJSON *obj, sim_table_include inc, time_t now);

#endif
