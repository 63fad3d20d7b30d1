/* A pure JSON → YAML converter for the YAML detail view, printing the way `kubectl get -o yaml`
 * does: block style, two-space indent, sequences at their key's indent ("- "), keys in object order,
 * strings quoted only where YAML needs it ("true", "123", "a: b", " x", "#x" ...), multi-line strings
 * as literal blocks ("|", "|-", "|+"), control characters escaped in double quotes. */
#ifndef HCP_VIEWS_YAML_H
#define HCP_VIEWS_YAML_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "common/buf.h"

/* Appends the YAML for root to out (every line ends with '\n'). NULL root appends "null\n". */
void yaml_from_json(const cJSON *root, buf *out);
/* Parses len bytes of JSON and converts them; a new string to free, or NULL when it is not JSON. */
char *yaml_from_json_text(const char *json, size_t len);

#endif
