/* Label and field selectors as kube-apiserver parses them (k8s.io/apimachinery labels.Parse and
 * fields.ParseSelector). A parsed selector is kept so that a watch can test every event against it. */
#ifndef HCP_SIM_SELECTOR_H
#define HCP_SIM_SELECTOR_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "sim/kinds.h"

typedef struct sim_label_selector sim_label_selector;
typedef struct sim_field_selector sim_field_selector;

/* "app=etcd, tier!=x, env in (a,b), k notin (c), k, !k, n>3, n<5". NULL or "" selects everything.
 * On error returns NULL and writes the apiserver's wording ("unable to parse requirement: ...") to err. */
sim_label_selector *sim_label_selector_parse(const char *text, char *err, size_t errlen);
bool sim_label_selector_matches(const sim_label_selector *sel, const cJSON *obj);
void sim_label_selector_free(sim_label_selector *sel);

/* "metadata.name=x,status.phase!=Running" with =, ==, != and backslash escapes. Fields are checked against
 * what kind k supports ("field label not supported: X" otherwise). NULL or "" selects everything. */
sim_field_selector *sim_field_selector_parse(const sim_kind *k, const char *text, char *err, size_t errlen);
bool sim_field_selector_matches(const sim_field_selector *sel, const cJSON *obj);
void sim_field_selector_free(sim_field_selector *sel);

#endif
