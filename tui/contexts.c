/* Context names from kubeconfig text (see contexts.h): the client reads them. */
#include "tui/contexts.h"

#include "client/kubeconfig.h"

int contexts_from_text(const char *yaml, size_t len, char ***names, size_t *n, char *err, size_t errlen)
{
    return kubeconfig_contexts_text(yaml, len, names, n, err, errlen);
}
