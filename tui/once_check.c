/* --check: the fleet's health in one line and an exit status, as monitoring plugins do (see
 * once.h; the levels are views/facts.h's, the rules facts_cluster()'s). */
#include <stdlib.h>
#include <string.h>

#include "client/store.h"
#include "common/buf.h"
#include "tui/once.h"
#include "tui/sanitize.h"

#define CHECK_NAMED_MAX 3 /* clusters named per level; the rest are counted */

typedef struct level_list {
    size_t n;
    buf named; /* "team-a/etcd-degraded: Degraded: ...; ..." */
} level_list;

static void list_add(level_list *l, const cluster_facts *f)
{
    l->n++;
    if (l->n > CHECK_NAMED_MAX)
        return;
    buf_printf(&l->named, "%s%s/%s: %s", l->n > 1 ? "; " : "", f->hc->meta.namespace, f->hc->meta.name, f->check_why);
}

static void list_close(level_list *l)
{
    if (l->n > CHECK_NAMED_MAX)
        buf_printf(&l->named, "; and %zu more", l->n - CHECK_NAMED_MAX);
}

check_level once_check(struct store *st, time_t now, unsigned san_flags, char *line, size_t linelen)
{
    size_t n = 0;
    record *const *hcs = st ? store_sorted(st, RES_HOSTEDCLUSTER, &n) : NULL;
    level_list crit = {0, BUF_INIT}, warn = {0, BUF_INIT};
    for (size_t i = 0; i < n; i++) {
        cluster_facts f;
        facts_cluster(st, hcs[i], now, &f);
        if (f.check == CHECK_CRITICAL)
            list_add(&crit, &f);
        else if (f.check == CHECK_WARNING)
            list_add(&warn, &f);
    }
    list_close(&crit);
    list_close(&warn);
    check_level level = crit.n ? CHECK_CRITICAL : warn.n ? CHECK_WARNING : CHECK_OK;
    buf b = BUF_INIT;
    buf_printf(&b, "%s: ", check_level_name(level));
    if (level == CHECK_OK) {
        buf_printf(&b, "%zu hosted cluster%s, all healthy", n, n == 1 ? "" : "s");
    } else {
        const level_list *first = crit.n ? &crit : &warn;
        buf_printf(&b, "%zu of %zu hosted cluster%s %s (%s)", first->n, n, n == 1 ? "" : "s",
                   crit.n ? "critical" : first->n == 1 ? "with a warning" : "with warnings", buf_str(&first->named));
        if (crit.n && warn.n)
            buf_printf(&b, ", %zu warning%s (%s)", warn.n, warn.n == 1 ? "" : "s", buf_str(&warn.named));
    }
    /* one line whatever the clusters' messages hold: the sanitizer drops newlines and escapes */
    sanitize_text(buf_str(&b), line, linelen, -1, san_flags);
    buf_free(&b);
    buf_free(&crit.named);
    buf_free(&warn.named);
    return level;
}
