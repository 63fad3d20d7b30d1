#include "sim/validate.h"
cJSON *sim_validate(const sim_kind *k, const cJSON *obj, const cJSON *old, void *ctx)
{
    (void)k; (void)obj; (void)old; (void)ctx;
    return NULL;
}
