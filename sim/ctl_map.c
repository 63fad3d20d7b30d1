/* A small string-keyed hash map (open addressing, power-of-two capacity, at most half full) that owns
 * its keys, and the FNV-1a hash it and the controllers' fingerprints use. */
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "sim/ctl_internal.h"

uint64_t ctl_fnv(const void *data, size_t len, uint64_t h)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

uint64_t ctl_fnv_str(const char *s, uint64_t h)
{
    return ctl_fnv(s ? s : "", s ? strlen(s) + 1 : 1, h);
}

void *ctl_map_get(const strmap *m, const char *key)
{
    if (!m->cap)
        return NULL;
    for (size_t i = ctl_fnv_str(key, FNV_SEED) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        if (!m->slots[i].key)
            return NULL;
        if (strcmp(m->slots[i].key, key) == 0)
            return m->slots[i].val;
    }
}

static void map_put_slot(map_slot *slots, size_t cap, char *key, void *val)
{
    size_t i = ctl_fnv_str(key, FNV_SEED) & (cap - 1);
    while (slots[i].key)
        i = (i + 1) & (cap - 1);
    slots[i].key = key;
    slots[i].val = val;
}

void ctl_map_add(strmap *m, const char *key, void *val)
{
    if ((m->n + 1) * 2 > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        map_slot *slots = xcalloc(cap, sizeof *slots);
        for (size_t i = 0; i < m->cap; i++)
            if (m->slots[i].key)
                map_put_slot(slots, cap, m->slots[i].key, m->slots[i].val);
        free(m->slots);
        m->slots = slots;
        m->cap = cap;
    }
    map_put_slot(m->slots, m->cap, xstrdup(key), val);
    m->n++;
}

void ctl_map_clear(strmap *m, void (*free_value)(void *))
{
    for (size_t i = 0; i < m->cap; i++) {
        free(m->slots[i].key);
        if (free_value && m->slots[i].key)
            free_value(m->slots[i].val);
    }
    free(m->slots);
    memset(m, 0, sizeof *m);
}

void ctl_map_set(strmap *m, const char *key, void *val)
{
    for (size_t i = m->cap ? ctl_fnv_str(key, FNV_SEED) & (m->cap - 1) : 0; m->cap; i = (i + 1) & (m->cap - 1)) {
        if (!m->slots[i].key)
            break;
        if (strcmp(m->slots[i].key, key) == 0) {
            m->slots[i].val = val;
            return;
        }
    }
    ctl_map_add(m, key, val);
}
