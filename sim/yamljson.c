/* YAML to cJSON, as the CRD files are written: block and flow styles, the first document of a
 * stream, plain scalars typed as YAML 1.2's core schema does (true/false, null, numbers), quoted
 * scalars as strings. */
#include "sim/yamljson.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "common/buf.h"

static cJSON *scalar_to_json(const yaml_event_t *ev)
{
    const char *v = (const char *)ev->data.scalar.value;
    if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return cJSON_CreateString(v);
    if (strcmp(v, "true") == 0 || strcmp(v, "True") == 0)
        return cJSON_CreateTrue();
    if (strcmp(v, "false") == 0 || strcmp(v, "False") == 0)
        return cJSON_CreateFalse();
    if (strcmp(v, "null") == 0 || strcmp(v, "~") == 0 || !*v)
        return cJSON_CreateNull();
    char *end;
    double d = strtod(v, &end);
    if (*v && !*end && (v[0] == '-' || (v[0] >= '0' && v[0] <= '9')))
        return cJSON_CreateNumber(d);
    return cJSON_CreateString(v);
}

/* Builds the node that starts with ev (already read). NULL on a parse error. */
static cJSON *yaml_node(yaml_parser_t *p, yaml_event_t *ev, int depth)
{
    if (depth > 200)
        return NULL;
    if (ev->type == YAML_SCALAR_EVENT)
        return scalar_to_json(ev);
    bool map = ev->type == YAML_MAPPING_START_EVENT;
    if (!map && ev->type != YAML_SEQUENCE_START_EVENT)
        return NULL;
    cJSON *out = map ? cJSON_CreateObject() : cJSON_CreateArray();
    for (;;) {
        yaml_event_t e;
        if (!yaml_parser_parse(p, &e)) {
            cJSON_Delete(out);
            return NULL;
        }
        if (e.type == YAML_MAPPING_END_EVENT || e.type == YAML_SEQUENCE_END_EVENT) {
            yaml_event_delete(&e);
            return out;
        }
        if (map) {
            if (e.type != YAML_SCALAR_EVENT) {
                yaml_event_delete(&e);
                cJSON_Delete(out);
                return NULL;
            }
            char *key = xstrdup((const char *)e.data.scalar.value);
            yaml_event_delete(&e);
            yaml_event_t ve;
            if (!yaml_parser_parse(p, &ve)) {
                free(key);
                cJSON_Delete(out);
                return NULL;
            }
            cJSON *v = yaml_node(p, &ve, depth + 1);
            yaml_event_delete(&ve);
            if (!v) {
                free(key);
                cJSON_Delete(out);
                return NULL;
            }
            cJSON_DeleteItemFromObjectCaseSensitive(out, key);
            cJSON_AddItemToObject(out, key, v);
            free(key);
        } else {
            cJSON *v = yaml_node(p, &e, depth + 1);
            yaml_event_delete(&e);
            if (!v) {
                cJSON_Delete(out);
                return NULL;
            }
            cJSON_AddItemToArray(out, v);
        }
    }
}

cJSON *sim_yaml_load(FILE *f)
{
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p))
        return NULL;
    yaml_parser_set_input_file(&p, f);
    cJSON *doc = NULL;
    yaml_event_t ev;
    while (!doc && yaml_parser_parse(&p, &ev)) {
        yaml_event_type_t t = ev.type;
        if (t == YAML_MAPPING_START_EVENT || t == YAML_SEQUENCE_START_EVENT || t == YAML_SCALAR_EVENT)
            doc = yaml_node(&p, &ev, 0);
        yaml_event_delete(&ev);
        if (t == YAML_STREAM_END_EVENT || (!doc && t != YAML_STREAM_START_EVENT && t != YAML_DOCUMENT_START_EVENT))
            break;
    }
    yaml_parser_delete(&p);
    return doc;
}
