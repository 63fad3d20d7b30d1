/* Request paths of the Kubernetes REST API, parsed into what they name: a discovery document, a
 * collection, an object or a subresource. Pure (no I/O), so every path shape is unit-tested. */
#ifndef HCP_SIM_HTTPROUTE_H
#define HCP_SIM_HTTPROUTE_H

#include <stdbool.h>

#include "sim/kinds.h"

typedef enum {
    SIM_ROUTE_NOT_FOUND,
    SIM_ROUTE_VERSION,     /* /version */
    SIM_ROUTE_API,         /* /api */
    SIM_ROUTE_APIS,        /* /apis */
    SIM_ROUTE_GROUP,       /* /apis/GROUP */
    SIM_ROUTE_RESOURCES,   /* /api/v1, /apis/GROUP/VERSION */
    SIM_ROUTE_SSAR,        /* /apis/authorization.k8s.io/v1/selfsubjectaccessreviews */
    SIM_ROUTE_COLLECTION,  /* .../[namespaces/NS/]PLURAL */
    SIM_ROUTE_OBJECT,      /* .../[namespaces/NS/]PLURAL/NAME[/SUB] */
} sim_route_type;

#define SIM_ROUTE_NAME_MAX 253

typedef struct sim_route {
    sim_route_type type;
    char group[64];   /* "" for the core group */
    char version[32];
    const sim_kind *kind;
    char ns[SIM_ROUTE_NAME_MAX + 1];   /* "" when the path has no namespace */
    char name[SIM_ROUTE_NAME_MAX + 1];
    char sub[16];     /* "", "status", "scale", "log" */
} sim_route;

/* Parses the path (no query string). Anything malformed or not served is SIM_ROUTE_NOT_FOUND. */
void sim_route_parse(const char *path, sim_route *r);

#endif
