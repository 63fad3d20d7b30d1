/* A HostedCluster's status.version and status.controlPlaneVersion: starting a rollout (desired, a
 * Partial history entry in front), completing it, reading which version is done, and the update lists
 * of the ClusterVersion (availableUpdates, conditionalUpdates) for its desired version and channel. */
#include "sim/ctl_internal.h"

#include <stdio.h>
#include <string.h>

#include "common/jsonutil.h"

bool ctl_newest_completed(const cJSON *hc, sim_version *out)
{
    const cJSON *h;
    const cJSON *hist = json_at(hc, "status", "version", "history", NULL);
    cJSON_ArrayForEach(h, hist)
    {
        if (json_str_at(h, "completionTime", NULL) && sim_version_parse(json_str_at(h, "version", NULL), out))
            return true;
    }
    return false;
}

static cJSON *history_entry(sim_version v, const char *image, const char *now, bool cv)
{
    char ver[32];
    sim_version_format(v, ver, sizeof ver);
    cJSON *e = cJSON_CreateObject();
    json_set_str(e, "state", "Partial");
    json_set_str(e, "startedTime", now);
    /* ClusterVersion history has a nullable completionTime; controlPlaneVersion omits it. */
    if (cv)
        json_set_item(e, "completionTime", cJSON_CreateNull());
    json_set_str(e, "version", ver);
    json_set_str(e, "image", image);
    if (cv)
        json_set_bool(e, "verified", false);
    return e;
}

void ctl_version_begin(cJSON *status, const char *key, sim_version v, const char *image, const char *now, int64_t gen)
{
    bool cv = strcmp(key, "version") == 0;
    cJSON *ver = json_obj_child(status, key);
    json_set_item(ver, "desired", sim_release_desired(v, image));
    cJSON *hist = ctl_array_child(ver, "history");
    cJSON *prev = cJSON_GetArrayItem(hist, 0);
    if (prev)
        json_set_str(prev, "completionTime", now);
    cJSON_InsertItemInArray(hist, 0, history_entry(v, image, now, cv));
    /* The API caps history at 100 entries. */
    while (cJSON_GetArraySize(hist) > 100)
        cJSON_DeleteItemFromArray(hist, cJSON_GetArraySize(hist) - 1);
    ctl_set_num(ver, "observedGeneration", (double)gen);
    if (cv && !cJSON_GetObjectItemCaseSensitive(ver, "availableUpdates"))
        json_set_item(ver, "availableUpdates", cJSON_CreateNull());
}

bool ctl_version_partial(const cJSON *status, const char *key)
{
    const char *state = json_str_at(cJSON_GetArrayItem(json_at(status, key, "history", NULL), 0), "state", NULL);
    return state && strcmp(state, "Partial") == 0;
}

void ctl_version_complete(cJSON *status, const char *key, const char *now)
{
    cJSON *e = cJSON_GetArrayItem(json_at(status, key, "history", NULL), 0);
    if (!e)
        return;
    json_set_str(e, "state", "Completed");
    json_set_str(e, "completionTime", now);
}

const char *ctl_completed_version(const cJSON *status)
{
    const cJSON *e;
    const cJSON *hist = json_at(status, "version", "history", NULL);
    cJSON_ArrayForEach(e, hist)
    {
        const char *st = json_str_at(e, "state", NULL);
        if (st && strcmp(st, "Completed") == 0)
            return json_str_at(e, "version", NULL);
    }
    return NULL;
}

void ctl_refresh_updates(cJSON *status, const char *channel, const char *now, hc_state *st)
{
    cJSON *ver = json_at(status, "version", NULL);
    sim_version cur;
    if (!ver || !sim_version_parse(json_str_at(ver, "desired", "version", NULL), &cur))
        return;
    char key[sizeof st->updates_key];
    snprintf(key, sizeof key, "%d.%d.%d|%.60s", cur.major, cur.minor, cur.patch, str_or(channel, ""));
    if (strcmp(key, st->updates_key) == 0 && cJSON_GetObjectItemCaseSensitive(ver, "availableUpdates"))
        return;
    snprintf(st->updates_key, sizeof st->updates_key, "%s", key);
    cJSON *available, *conditional;
    sim_release_updates(cur, channel, now, &available, &conditional);
    json_set_item(ver, "availableUpdates", available);
    if (conditional)
        json_set_item(ver, "conditionalUpdates", conditional);
    else
        cJSON_DeleteItemFromObjectCaseSensitive(ver, "conditionalUpdates");
}
