/* Who may do what: the two roles hcpsim's identities are bound to, as RBAC rules, so that a request and
 * a SelfSubjectAccessReview get the same answer.
 *   admin (certificate, group system:masters; or the admin token): ClusterRole cluster-admin, every verb
 *     on every resource and non-resource URL.
 *   read-only (hcpsim-readonly): ClusterRole view, bound cluster-wide. Its rules are Kubernetes'
 *     bootstrap view role (plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go): get, list and
 *     watch on pods, pods/log, pods/status, services, services/status, persistentvolumeclaims,
 *     persistentvolumeclaims/status, configmaps, events, namespaces, namespaces/status, and apps'
 *     statefulsets and deployments with their scale and status; never secrets. HyperShift's kinds are
 *     taken as aggregated into view (a ClusterRole labelled rbac.authorization.k8s.io/aggregate-to-view
 *     reading hostedclusters, nodepools, hostedcontrolplanes and their status). Both identities also
 *     have what every authenticated user has: creating SelfSubjectAccessReviews, and get on the
 *     discovery and version URLs (system:discovery, system:public-info-viewer). */
#ifndef HCP_SIM_RBAC_H
#define HCP_SIM_RBAC_H

#include <stdbool.h>

#include "sim/httpapi.h"

/* A resource request: verb ("get", "patch", "*"), API group ("" for core), resource ("pods", "*") and
 * subresource ("" when none). The reason an allowed review gives ("RBAC: allowed by ClusterRoleBinding
 * ..."; "" for the admin, whom the privileged-group authorizer allows without one), or NULL. */
const char *sim_rbac_decide(sim_identity id, const char *verb, const char *group, const char *resource,
                            const char *subresource);
bool sim_rbac_allows(sim_identity id, const char *verb, const char *group, const char *resource,
                     const char *subresource);
/* A non-resource request ("get" of "/version"), likewise. */
const char *sim_rbac_decide_path(sim_identity id, const char *verb, const char *path);

#endif
