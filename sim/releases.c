/* The built-in release graph. Small and static on purpose: a handful of z-streams per minor is enough
 * to show available updates, minor hops and conditional risks, and keeps tests predictable. */
#include "sim/releases.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/jsonutil.h"

#define RELEASE_REPO "quay.io/openshift-release-dev/ocp-release"

/* z-streams per minor, oldest first (4.14 … 4.17). */
static const int z_streams[SIM_MAX_MINOR - SIM_MIN_MINOR + 1][5] = {
    {0, 5, 12, 20, 38}, /* 4.14 */
    {0, 3, 12, 21, 30}, /* 4.15 */
    {0, 3, 8, 15, 20},  /* 4.16 */
    {0, 2, 5, 9, 12},   /* 4.17 */
};
#define Z_PER_MINOR 5
/* Releases from this index of a minor on are upgrade sources to the next minor. */
#define MINOR_HOP_FROM 2

typedef struct release_risk {
    int minor, patch; /* the update target this risk applies to */
    const char *name, *message, *url;
} release_risk;

static const release_risk risks[] = {
    {15, 12, "KubeletSystemReserved",
     "Nodes with a custom kubelet systemReserved setting can become NotReady after the update.",
     "https://issues.redhat.com/browse/OCPBUGS-30102"},
    {16, 15, "OVNInterConnectRouteLeak",
     "Routes may be dropped on nodes that restart during the update, leaving pods on those nodes without egress.",
     "https://issues.redhat.com/browse/OCPBUGS-33781"},
    {17, 5, "IngressCertificateRotation",
     "Ingress controllers may serve an expired default certificate for up to an hour after the update.",
     "https://issues.redhat.com/browse/OCPBUGS-41215"},
    {17, 5, "MachineConfigDrainStall",
     "Node drains can stall on pods with a PodDisruptionBudget that allows no disruption.",
     "https://issues.redhat.com/browse/OCPBUGS-41877"},
};

bool sim_version_parse(const char *s, sim_version *out)
{
    if (!s)
        return false;
    long part[3];
    const char *p = s;
    for (int i = 0; i < 3; i++) {
        if (*p < '0' || *p > '9')
            return false;
        char *end;
        part[i] = strtol(p, &end, 10);
        if (end - p > 4)
            return false;
        p = end;
        if (i < 2) {
            if (*p != '.')
                return false;
            p++;
        }
    }
    /* "-rc.1", "-multi", "+build" may follow; a further digit or dot may not. */
    if (*p && *p != '-' && *p != '+')
        return false;
    out->major = (int)part[0];
    out->minor = (int)part[1];
    out->patch = (int)part[2];
    return true;
}

int sim_version_cmp(sim_version a, sim_version b)
{
    if (a.major != b.major)
        return a.major < b.major ? -1 : 1;
    if (a.minor != b.minor)
        return a.minor < b.minor ? -1 : 1;
    if (a.patch != b.patch)
        return a.patch < b.patch ? -1 : 1;
    return 0;
}

void sim_version_format(sim_version v, char *out, size_t outlen)
{
    snprintf(out, outlen, "%d.%d.%d", v.major, v.minor, v.patch);
}

static size_t release_count(void)
{
    return (SIM_MAX_MINOR - SIM_MIN_MINOR + 1) * Z_PER_MINOR;
}

sim_version sim_release_at(size_t i)
{
    sim_version v = {4, SIM_MIN_MINOR + (int)(i / Z_PER_MINOR), z_streams[i / Z_PER_MINOR][i % Z_PER_MINOR]};
    return v;
}

/* Index of v in the graph, or -1. */
static int release_index(sim_version v)
{
    if (v.major != 4 || v.minor < SIM_MIN_MINOR || v.minor > SIM_MAX_MINOR)
        return -1;
    for (int z = 0; z < Z_PER_MINOR; z++)
        if (z_streams[v.minor - SIM_MIN_MINOR][z] == v.patch)
            return (v.minor - SIM_MIN_MINOR) * Z_PER_MINOR + z;
    return -1;
}

bool sim_release_latest_of_minor(int minor, sim_version *out)
{
    if (minor < SIM_MIN_MINOR || minor > SIM_MAX_MINOR)
        return false;
    out->major = 4;
    out->minor = minor;
    out->patch = z_streams[minor - SIM_MIN_MINOR][Z_PER_MINOR - 1];
    return true;
}

/* 64 hex digits derived from the version with FNV-1a, so a digest is stable across runs. */
static void version_digest(sim_version v, char out[65])
{
    char text[32];
    sim_version_format(v, text, sizeof text);
    for (int block = 0; block < 4; block++) {
        uint64_t h = 1469598103934665603ULL ^ (uint64_t)(block * 0x9e3779b97f4a7c15ULL);
        for (const char *p = text; *p; p++) {
            h ^= (unsigned char)*p;
            h *= 1099511628211ULL;
        }
        snprintf(out + block * 16, 17, "%016llx", (unsigned long long)h);
    }
}

void sim_release_image(sim_version v, char *out, size_t outlen)
{
    snprintf(out, outlen, RELEASE_REPO ":%d.%d.%d-multi", v.major, v.minor, v.patch);
}

void sim_release_digest_image(sim_version v, char *out, size_t outlen)
{
    char hex[65];
    version_digest(v, hex);
    snprintf(out, outlen, RELEASE_REPO "@sha256:%s", hex);
}

void sim_release_kubelet(sim_version v, char *out, size_t outlen)
{
    /* OpenShift 4.y ships Kubernetes 1.(y+13). */
    snprintf(out, outlen, "v1.%d.%d", v.minor + 13, 3 + v.patch / 2);
}

bool sim_release_version_of(const char *image, sim_version *out)
{
    if (!image)
        return false;
    const char *at = strstr(image, "@sha256:");
    if (at) {
        for (size_t i = 0; i < release_count(); i++) {
            char known[160];
            sim_release_digest_image(sim_release_at(i), known, sizeof known);
            const char *kat = strstr(known, "@sha256:");
            if (strcmp(at, kat) == 0) {
                *out = sim_release_at(i);
                return true;
            }
        }
        return false;
    }
    /* The tag follows the last ':' after the last '/' (a registry port comes before a '/'). */
    const char *slash = strrchr(image, '/');
    const char *colon = strrchr(slash ? slash : image, ':');
    if (!colon)
        return false;
    return sim_version_parse(colon + 1, out);
}

/* Channel names: prefix-4.minor. */
static const char *channel_prefixes[] = {"candidate", "eus", "fast", "stable"};

static bool parse_channel(const char *channel, const char **prefix, int *minor)
{
    if (!channel)
        return false;
    for (size_t i = 0; i < sizeof channel_prefixes / sizeof *channel_prefixes; i++) {
        size_t n = strlen(channel_prefixes[i]);
        if (strncmp(channel, channel_prefixes[i], n) != 0 || channel[n] != '-')
            continue;
        sim_version v;
        char tail[16];
        const char *num = channel + n + 1;
        if (strlen(num) > 6)
            return false;
        snprintf(tail, sizeof tail, "%s.0", num);
        if (!sim_version_parse(tail, &v) || v.major != 4)
            return false;
        *prefix = channel_prefixes[i];
        *minor = v.minor;
        return true;
    }
    return false;
}

bool sim_channel_known(const char *channel)
{
    const char *prefix;
    int minor;
    if (!parse_channel(channel, &prefix, &minor))
        return false;
    if (minor < SIM_MIN_MINOR || minor > SIM_MAX_MINOR)
        return false;
    return strcmp(prefix, "eus") != 0 || minor % 2 == 0;
}

bool sim_release_in_channel(sim_version v, const char *channel)
{
    int idx = release_index(v);
    if (idx < 0 || !sim_channel_known(channel))
        return false;
    const char *prefix;
    int minor;
    parse_channel(channel, &prefix, &minor);
    int z = idx % Z_PER_MINOR;
    if (minor == v.minor)
        return true;
    /* The next minor's channels carry the releases that can hop to it. */
    return minor == v.minor + 1 && z >= MINOR_HOP_FROM;
}

/* The channels a release belongs to, as a new JSON array of strings (sorted, as the CVO lists them). */
static cJSON *release_channels(sim_version v)
{
    cJSON *arr = cJSON_CreateArray();
    for (int minor = v.minor; minor <= v.minor + 1; minor++) {
        for (size_t i = 0; i < sizeof channel_prefixes / sizeof *channel_prefixes; i++) {
            char ch[32];
            snprintf(ch, sizeof ch, "%s-4.%d", channel_prefixes[i], minor);
            if (sim_release_in_channel(v, ch))
                cJSON_AddItemToArray(arr, cJSON_CreateString(ch));
        }
    }
    return arr;
}

cJSON *sim_release_desired(sim_version v, const char *image)
{
    char tag[200], ver[32];
    sim_release_image(v, tag, sizeof tag);
    sim_version_format(v, ver, sizeof ver);
    cJSON *d = cJSON_CreateObject();
    json_set_str(d, "version", ver);
    json_set_str(d, "image", image ? image : tag);
    json_set_item(d, "channels", release_channels(v));
    return d;
}

/* An update edge: within a minor to any newer z-stream; to the next minor from the later z-streams
 * to every release of it but .0. */
static bool is_edge(sim_version from, sim_version to)
{
    int fi = release_index(from), ti = release_index(to);
    if (fi < 0 || ti < 0 || ti <= fi)
        return false;
    if (to.minor == from.minor)
        return true;
    return to.minor == from.minor + 1 && fi % Z_PER_MINOR >= MINOR_HOP_FROM && ti % Z_PER_MINOR > 0;
}

static cJSON *release_json(sim_version v)
{
    char ver[32], image[160], url[160];
    sim_version_format(v, ver, sizeof ver);
    sim_release_digest_image(v, image, sizeof image);
    snprintf(url, sizeof url, "https://access.redhat.com/errata/RHSA-2026:%d%03d", v.minor, v.patch);
    cJSON *r = cJSON_CreateObject();
    json_set_str(r, "version", ver);
    json_set_str(r, "image", image);
    json_set_str(r, "url", url);
    json_set_item(r, "channels", release_channels(v));
    return r;
}

static cJSON *conditional_update(sim_version to, const char *now_rfc3339)
{
    cJSON *cu = cJSON_CreateObject();
    json_set_item(cu, "release", release_json(to));
    cJSON *rs = cJSON_CreateArray();
    buf msg = BUF_INIT;
    const char *reason = NULL;
    int n = 0;
    for (size_t i = 0; i < sizeof risks / sizeof *risks; i++) {
        if (risks[i].minor != to.minor || risks[i].patch != to.patch)
            continue;
        cJSON *r = cJSON_CreateObject();
        json_set_str(r, "name", risks[i].name);
        json_set_str(r, "message", risks[i].message);
        json_set_str(r, "url", risks[i].url);
        cJSON *rules = cJSON_CreateArray();
        cJSON *rule = cJSON_CreateObject();
        json_set_str(rule, "type", "Always");
        cJSON_AddItemToArray(rules, rule);
        json_set_item(r, "matchingRules", rules);
        cJSON_AddItemToArray(rs, r);
        /* The CVO joins the risk messages and names the reason, or MultipleReasons. */
        if (n++)
            buf_puts(&msg, "\n\n");
        buf_printf(&msg, "%s %s", risks[i].message, risks[i].url);
        reason = n == 1 ? risks[i].name : "MultipleReasons";
    }
    json_set_item(cu, "risks", rs);
    cJSON *conds = cJSON_CreateArray();
    cJSON *c = cJSON_CreateObject();
    json_set_str(c, "type", "Recommended");
    json_set_str(c, "status", "False");
    json_set_str(c, "reason", reason ? reason : "Unknown");
    json_set_str(c, "message", buf_str(&msg));
    json_set_str(c, "lastTransitionTime", now_rfc3339);
    cJSON_AddItemToArray(conds, c);
    json_set_item(cu, "conditions", conds);
    buf_free(&msg);
    return cu;
}

static bool has_risk(sim_version to)
{
    for (size_t i = 0; i < sizeof risks / sizeof *risks; i++)
        if (risks[i].minor == to.minor && risks[i].patch == to.patch)
            return true;
    return false;
}

void sim_release_updates(sim_version from, const char *channel, const char *now_rfc3339, cJSON **available,
                         cJSON **conditional)
{
    *conditional = NULL;
    if (!channel || !sim_channel_known(channel) || !sim_release_in_channel(from, channel)) {
        *available = cJSON_CreateNull();
        return;
    }
    cJSON *av = cJSON_CreateArray();
    cJSON *cond = cJSON_CreateArray();
    /* Newest first, as the CVO sorts them. */
    for (size_t i = release_count(); i-- > 0;) {
        sim_version to = sim_release_at(i);
        if (!is_edge(from, to) || !sim_release_in_channel(to, channel))
            continue;
        if (has_risk(to))
            cJSON_AddItemToArray(cond, conditional_update(to, now_rfc3339));
        else
            cJSON_AddItemToArray(av, release_json(to));
    }
    *available = av;
    if (cJSON_GetArraySize(cond) > 0)
        *conditional = cond;
    else
        cJSON_Delete(cond);
}

bool sim_release_validate(const sim_version *current, sim_version next, char *msg, size_t msglen)
{
    char next_s[32], cur_s[32];
    sim_version_format(next, next_s, sizeof next_s);
    if (current && current->major == next.major && next.minor < current->minor) {
        sim_version_format(*current, cur_s, sizeof cur_s);
        snprintf(msg, msglen, "y-stream downgrade from \"%s\" to \"%s\" is not supported", cur_s, next_s);
        return false;
    }
    if (next.major > 4 || (next.major == 4 && next.minor > SIM_MAX_MINOR)) {
        snprintf(msg, msglen, "the latest version supported is: \"4.%d.0\". Attempting to use: \"%s\"", SIM_MAX_MINOR,
                 next_s);
        return false;
    }
    if (next.major < 4 || next.minor < SIM_MIN_MINOR) {
        snprintf(msg, msglen, "the minimum version supported is: \"4.%d.0\". Attempting to use: \"%s\"",
                 SIM_MIN_MINOR, next_s);
        return false;
    }
    return true;
}
