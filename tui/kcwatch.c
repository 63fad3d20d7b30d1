#include "tui/kcwatch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static uint64_t mix(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 1099511628211ULL; /* FNV-1a */
    }
    return h;
}

static uint64_t file_print(uint64_t h, const char *path)
{
    struct stat sb;
    h = mix(h, path, strlen(path) + 1);
    if (stat(path, &sb) != 0)
        return mix(h, "-", 1); /* missing counts too: a file that appears is a change */
    int64_t v[3] = {(int64_t)sb.st_size, (int64_t)sb.st_mtim.tv_sec, (int64_t)sb.st_mtim.tv_nsec};
    return mix(h, v, sizeof v);
}

uint64_t kubeconfig_fingerprint(const char *explicit_path)
{
    uint64_t h = 14695981039346656037ULL;
    if (explicit_path)
        return file_print(h, explicit_path);
    const char *env = getenv("KUBECONFIG");
    if (env && *env) {
        char *list = strdup(env), *save = NULL;
        if (!list)
            return h;
        for (char *p = strtok_r(list, ":", &save); p; p = strtok_r(NULL, ":", &save))
            h = file_print(h, p);
        free(list);
        return h;
    }
    const char *home = getenv("HOME");
    if (home && *home) {
        char path[4096];
        snprintf(path, sizeof path, "%s/.kube/config", home);
        h = file_print(h, path);
    }
    return h;
}
