/* The kind table (see kinds.h), expanded once. */
#include "client/kinds.h"

#include "client/decode.h"

#define KIND_ROW_(id, kname, apiv, plural_, label_, counter_, scope_, selector_, decode_, member)              \
    [RES_##id] = {.kind = RES_##id,                                                                           \
                  .name = kname,                                                                              \
                  .api_version = apiv,                                                                        \
                  .plural = plural_,                                                                          \
                  .label = label_,                                                                            \
                  .counter = counter_,                                                                        \
                  .scope = scope_,                                                                            \
                  .selector = selector_,                                                                      \
                  .decode = decode_},

static const kind_info kinds[RES_KIND_COUNT] = {RES_KIND_TABLE(KIND_ROW_)};

#undef KIND_ROW_

const kind_info *kind_info_of(res_kind kind)
{
    return (unsigned)kind < RES_KIND_COUNT ? &kinds[kind] : NULL;
}

const char *res_kind_name(res_kind kind)
{
    const kind_info *k = kind_info_of(kind);
    return k ? k->name : "?";
}
