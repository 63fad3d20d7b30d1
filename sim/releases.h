/* The simulator's built-in OpenShift release graph (4.14.0 … 4.17.x): which versions exist, their
 * images and channels, the update edges between them (some conditional, with named risks), and the
 * version rules HyperShift applies to a requested release (supported range, y-stream downgrades). */
#ifndef HCP_SIM_RELEASES_H
#define HCP_SIM_RELEASES_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

/* The hypershift-operator's supported minors: 4.SIM_MIN_MINOR … 4.SIM_MAX_MINOR. */
#define SIM_MIN_MINOR 14
#define SIM_MAX_MINOR 17

typedef struct sim_version {
    int major, minor, patch;
} sim_version;

/* "4.16.3" or "4.16.3-rc.1" (the suffix is ignored). False on anything else. */
bool sim_version_parse(const char *s, sim_version *out);
int sim_version_cmp(sim_version a, sim_version b);
void sim_version_format(sim_version v, char *out, size_t outlen); /* "4.16.3" */

/* The version a release pullspec names: a tag ("…/ocp-release:4.16.3-multi", "…:4.16.3-x86_64") or a
 * digest the graph knows ("…/ocp-release@sha256:…"). False when neither. */
bool sim_release_version_of(const char *image, sim_version *out);
/* The tag pullspec of a version: "quay.io/openshift-release-dev/ocp-release:4.16.3-multi". */
void sim_release_image(sim_version v, char *out, size_t outlen);
/* The digest pullspec the graph uses for a version (deterministic). */
void sim_release_digest_image(sim_version v, char *out, size_t outlen);
/* The kubelet version a release ships ("v1.29.7"). */
void sim_release_kubelet(sim_version v, char *out, size_t outlen);

/* A Release object {version, image, channels} as status.version.desired carries it; image NULL: the tag
 * pullspec of v. */
cJSON *sim_release_desired(sim_version v, const char *image);

/* The i-th release of the graph, oldest first. */
sim_version sim_release_at(size_t i);
/* The newest release of a minor (4.minor.z); false when the graph has none. */
bool sim_release_latest_of_minor(int minor, sim_version *out);

bool sim_release_in_channel(sim_version v, const char *channel);
/* Whether a channel name exists in the graph ("stable-4.16"; eus- only on even minors). */
bool sim_channel_known(const char *channel);

/* Fills status.version.availableUpdates (array, or JSON null when channel is NULL/unknown) and
 * conditionalUpdates (array; NULL when there is none) for a cluster at `from` on `channel`.
 * now_rfc3339 stamps the conditions of the conditional updates. Both out values are new items. */
void sim_release_updates(sim_version from, const char *channel, const char *now_rfc3339, cJSON **available,
                         cJSON **conditional);

/* HyperShift's release validation (supportedversion.IsValidReleaseVersion) of `next` for a cluster
 * whose current version is `current` (NULL on a new cluster). Returns true when valid, otherwise
 * writes the operator's error text into msg. */
bool sim_release_validate(const sim_version *current, sim_version next, char *msg, size_t msglen);

#endif
