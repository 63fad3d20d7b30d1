/* OpenShift versions: "4.19.3" parsed into parts and ordered, and the one order of version texts
 * the derived facts and the views' sorting share. */
#ifndef HCP_CLIENT_VERSION_H
#define HCP_CLIENT_VERSION_H

#include <stdbool.h>

typedef struct ocp_version {
    int major;
    int minor;
    int patch;
    bool has_patch;  /* "4.19" has none */
    char pre[40];    /* prerelease ("rc.1", "ec.2"); "" for a release. Arch suffixes are not prerelease. */
} ocp_version;

/* "4.19.3", "4.19.3-multi", "4.20.0-rc.1", "4.19", "v1.32.6", "4.19.3+build" → parts. False otherwise. */
bool version_parse(const char *s, ocp_version *out);
/* <0, 0, >0 like strcmp: numeric parts, then a release above its prereleases, prereleases by
 * dot-separated fields (numbers numerically). A missing patch compares as 0. */
int version_compare(const ocp_version *a, const ocp_version *b);
/* The minor on one line across majors, as HyperShift counts it: 4.y → y, 5.x → 23+x. -1 otherwise. */
int version_minor_index(const ocp_version *v);
/* The order of two version texts (<0, 0, >0; NULL as ""): as version_compare when both parse and
 * differ as versions; else (not versions, or "4.19.3-multi" beside "4.19.3") as text, digit runs
 * numerically and a pre-release below what continues the release. Sorting by version uses this. */
int version_order(const char *a, const char *b);

#endif
