/* Pure decoders: one Kubernetes object (a cJSON tree) in, one compact record (client/records.h) out.
 *
 * They never fail hard on content: a missing or mistyped field becomes "unknown" in the record, and
 * arrays and strings are capped (REC_MAX_*). The only NULL answer is for input that is not a JSON
 * object at all. The record copies what it keeps, so the caller frees the cJSON tree right after. */
#ifndef HCP_CLIENT_DECODE_H
#define HCP_CLIENT_DECODE_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "client/records.h"

record *decode_hostedcluster(const cJSON *obj);
record *decode_nodepool(const cJSON *obj);
record *decode_pod(const cJSON *obj);
record *decode_pvc(const cJSON *obj);
record *decode_supported_versions(const cJSON *obj); /* the ConfigMap */
record *decode_event(const cJSON *obj);

/* The kind's decoder (kind_info_of(kind)->decode, client/kinds.h) on obj, or NULL when kind is out of range or obj is not an object. */
record *decode_object(res_kind kind, const cJSON *obj);

/* Parses len bytes of JSON text (one object) and decodes it; NULL when it is not a JSON object. */
record *decode_json_text(res_kind kind, const char *text, size_t len);

#endif
