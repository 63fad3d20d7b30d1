/* The context names of a kubeconfig held in memory (hcptui --demo keeps its kubeconfig off disk),
 * for `:ctx` Tab completion: kubeconfig_contexts_text() of client/kubeconfig.h. */
#ifndef HCP_TUI_CONTEXTS_H
#define HCP_TUI_CONTEXTS_H

#include <stddef.h>

/* The names of contexts[] in file order, duplicates once (the last entry of a name is the one a
 * kubeconfig uses, the name is the same). Entries without a usable name (missing, not a string,
 * empty, with control characters) are skipped. 0 with *names (free with kube_strv_free) and *n;
 * -1 with a one-line reason in err when the text is no YAML map, or contexts is there and no list. */
int contexts_from_text(const char *yaml, size_t len, char ***names, size_t *n, char *err, size_t errlen);

#endif
