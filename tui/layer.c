/* The layer stack (see layer.h). */
#include "tui/layer.h"

#include <string.h>

layer *layer_push(layer_stack *s, const layer_ops *ops)
{
    if (s->n >= LAYER_MAX)
        return NULL;
    layer *l = &s->l[s->n++];
    memset(l, 0, sizeof *l);
    l->ops = ops;
    return l;
}

layer *layer_top(layer_stack *s)
{
    return s->n ? &s->l[s->n - 1] : NULL;
}

const layer *layer_top_const(const layer_stack *s)
{
    return s->n ? &s->l[s->n - 1] : NULL;
}

unsigned layer_pop(console *c, layer_stack *s)
{
    layer *l = layer_top(s);
    if (!l)
        return RD_NONE;
    if (l->ops->close)
        l->ops->close(c, l);
    buf_free(&l->lines);
    s->n--;
    return RD_MAIN | RD_HINT | RD_MSG;
}

void layer_pop_all(console *c, layer_stack *s)
{
    while (s->n)
        layer_pop(c, s);
}
