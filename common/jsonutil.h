/* Small cJSON helpers shared by the simulator and the client (generic, no Kubernetes semantics). */
#ifndef HCP_COMMON_JSONUTIL_H
#define HCP_COMMON_JSONUTIL_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdint.h>

/* Walks object keys: json_at(obj, "status", "version", "desired", NULL). NULL when any step is missing
 * or not an object. Keys are matched case-sensitively (as Kubernetes does). */
cJSON *json_at(const cJSON *root, ...) __attribute__((sentinel));
/* The string at that path, or NULL when missing or not a string. */
const char *json_str_at(const cJSON *root, ...) __attribute__((sentinel));
/* Integer at the path; returns false when missing, not a number, or not integral. */
bool json_int_at(int64_t *out, const cJSON *root, ...) __attribute__((sentinel));

/* Gets or creates an object child (replacing a non-object value). */
cJSON *json_obj_child(cJSON *parent, const char *key);
/* Sets a string/number/bool child, replacing any existing key. */
void json_set_str(cJSON *obj, const char *key, const char *value);
void json_set_num(cJSON *obj, const char *key, double value);
void json_set_bool(cJSON *obj, const char *key, bool value);
void json_set_item(cJSON *obj, const char *key, cJSON *item); /* takes ownership */

/* Parses exactly len bytes (bodies are not NUL-terminated) as one JSON value; NULL on error or when
 * anything but white space follows the value. */
cJSON *json_parse_len(const char *data, size_t len);

#endif
