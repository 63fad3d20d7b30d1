/* The one protobuf body kubectl sends that hcpsim must read: a SelfSubjectAccessReview (`kubectl
 * auth can-i` uses the typed client, which writes application/vnd.kubernetes.protobuf). The
 * Kubernetes envelope is the magic "k8s\0" then a runtime.Unknown message whose raw field holds the
 * object. Everything else answers in JSON, which kubectl also accepts. */
#ifndef HCP_SIM_HTTPPROTO_H
#define HCP_SIM_HTTPPROTO_H

#include <cjson/cJSON.h>
#include <stddef.h>

#define SIM_PROTOBUF_TYPE "application/vnd.kubernetes.protobuf"

/* The review as JSON ({"apiVersion","kind","spec":{"resourceAttributes":{...}}}), or NULL with a
 * reason in err when the bytes are not a well-formed SelfSubjectAccessReview. */
cJSON *sim_proto_decode_ssar(const void *data, size_t len, char *err, size_t errlen);

#endif
