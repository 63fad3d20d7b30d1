/* Decoding by kind: the kind table (client/kinds.h) names each kind's decoder. Apart from decode.c so
 * that the calls go one way (decode_object.c -> kinds.c -> decode.c -> records.c). */
#include "client/decode.h"
#include "client/kinds.h"
#include "common/jsonutil.h"

record *decode_object(res_kind kind, const cJSON *obj)
{
    const kind_info *k = kind_info_of(kind);
    return k && k->decode ? k->decode(obj) : NULL;
}

record *decode_json_text(res_kind kind, const char *text, size_t len)
{
    /* Strict: one JSON value and nothing but whitespace after it ("{}}" is not an object). */
    cJSON *obj = json_parse_len(text, len);
    record *r = decode_object(kind, obj);
    cJSON_Delete(obj);
    return r;
}
