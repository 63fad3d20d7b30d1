/* The protobuf bodies kubectl's typed clients send (application/vnd.kubernetes.protobuf): `kubectl auth
 * can-i` (SelfSubjectAccessReview) and `kubectl create configmap|secret|namespace`. The Kubernetes
 * envelope is the magic "k8s\0" then a runtime.Unknown message: typeMeta {apiVersion, kind} and raw,
 * the object. hcpsim reads the fields those commands send (metadata name, namespace, labels,
 * annotations, finalizers; data, binaryData, stringData, type, immutable; the review's attributes);
 * it always answers in JSON, which those clients also accept. */
#ifndef HCP_SIM_HTTPPROTO_H
#define HCP_SIM_HTTPPROTO_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#define SIM_PROTOBUF_TYPE "application/vnd.kubernetes.protobuf"

/* The object as JSON ({"apiVersion","kind","metadata",...}), or NULL with a reason in err when the
 * bytes are malformed, or hold a kind hcpsim does not read (then *unsupported is set). */
cJSON *sim_proto_decode(const void *data, size_t len, bool *unsupported, char *err, size_t errlen);

#endif
