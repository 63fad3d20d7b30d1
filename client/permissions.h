/* Permissions first: the verbs the console's actions need, asked of the API with
 * SelfSubjectAccessReview (the one POST read-only mode allows) when a connection starts, so an
 * action the user may not perform is shown as such in `?` and refused with the reason before any
 * dialog opens. The answers are for the namespace the console is scoped to (-n), else for all
 * namespaces: an identity allowed in some namespaces only is told "not allowed in every namespace",
 * and its actions still go to the dry run, which says what the server decides. A client task. */
#ifndef HCP_CLIENT_PERMISSIONS_H
#define HCP_CLIENT_PERMISSIONS_H

#include <stdbool.h>
#include <stddef.h>

struct client;

/* What the actions need (a bit each). */
#define PERM_PATCH_HOSTEDCLUSTERS 0x01u
#define PERM_PATCH_NODEPOOLS 0x02u
#define PERM_UPDATE_NODEPOOLS_SCALE 0x04u
#define PERM_DELETE_PODS 0x08u
#define PERM_DELETE_PVCS 0x10u
#define PERM_GET_PODS_LOG 0x20u
#define PERM_COUNT 6

typedef enum perm_state { PERM_UNKNOWN, PERM_ALLOWED, PERM_DENIED } perm_state;

/* Starts asking (once per client; ns NULL or "": all namespaces). */
void client_permissions_start(struct client *c, const char *ns);
/* The answer for one PERM_ bit; why (may be NULL) gets "cannot patch hostedclusters in namespace
 * clusters" for a denial, or the reason the question failed. */
perm_state client_permission(struct client *c, unsigned perm, char *why, size_t whylen);
/* The first of the bits in perms that is denied (0 when none is), with its words. */
unsigned client_permissions_denied(struct client *c, unsigned perms, char *why, size_t whylen);

/* True once every answer is in and the identity may perform none of the actions' writes (patch,
 * update, delete): it may only read. */
bool client_permissions_read_only(struct client *c);

/* The SelfSubjectAccessReview body for a bit (for tests and the docs): JSON text, malloc'd. */
char *permissions_review_body(unsigned perm, const char *ns);

#endif
