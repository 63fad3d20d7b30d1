/* The commands about the session rather than a view: quitting, the connection's context and
 * namespace, request statistics, repainting (see command.h). */
#include "tui/console.h"

#include <stdio.h>
#include <string.h>

#include "client/permissions.h"
#include "client/store.h"

unsigned cmd_none(console *c, const cmd_entry *e, const cmd_args *a)
{
    (void)c, (void)e, (void)a;
    return RD_NONE;
}

unsigned cmd_quit(console *c, const cmd_entry *e, const cmd_args *a)
{
    (void)c, (void)e, (void)a;
    return RD_QUIT;
}

unsigned cmd_redraw(console *c, const cmd_entry *e, const cmd_args *a)
{
    (void)c, (void)e, (void)a;
    return RD_ALL | RD_CLEAR;
}

unsigned cmd_stats(console *c, const cmd_entry *e, const cmd_args *a)
{
    (void)e, (void)a;
    return c->ps.stats_open ? paneset_stats_close(&c->ps) : paneset_stats_open(&c->ps);
}

/* Whether any hosted cluster of the store is in ns. */
static bool clusters_in(console *c, const char *ns)
{
    size_t n = 0;
    record *const *all = store_sorted(client_store(c->cl), RES_HOSTEDCLUSTER, &n);
    for (size_t i = 0; i < n; i++)
        if (all[i]->meta.namespace && strcmp(all[i]->meta.namespace, ns) == 0)
            return true;
    return false;
}

unsigned cmd_namespace(console *c, const cmd_entry *e, const cmd_args *a)
{
    (void)e;
    const char *ns = a->argc ? a->argv[0] : "";
    if (strcmp(ns, "all") == 0 || strcmp(ns, "*") == 0 || strcmp(ns, "-A") == 0)
        ns = "";
    unsigned rd = paneset_scope_ns(&c->ps, ns);
    if (ns[0] && !clusters_in(c, ns)) /* a typo shows an empty fleet: say why */
        return rd | console_say(c, "namespace: %s (it holds no hosted cluster; :ns all shows the fleet)", ns);
    return rd | console_say(c, "namespace: %s", ns[0] ? ns : "all");
}

/* A new client for the context; the old one stays when it cannot be opened. The redraw bits, 0
 * with the reason in err when it failed. */
static unsigned switch_context(console *c, const char *context, char *err, size_t errlen, bool *ok)
{
    unsigned rd = paneset_detail_close(&c->ps);
    client *nc = c->cfg->reconnect(c->cfg->reconnect_arg, c->cl, context, err, errlen);
    *ok = nc != NULL;
    if (!nc)
        return rd;
    c->cl = nc;
    c->n_observe = 0; /* what the old connection sent is not watched here */
    paneset_set_client(&c->ps, nc);
    if (!c->cfg->read_only)
        client_permissions_start(nc, c->ps.scope_ns);
    return rd | RD_MAIN | RD_HEADER;
}

unsigned console_reconnect(console *c, const char *why)
{
    if (!c->cfg->reconnect || !c->cfg->id)
        return RD_NONE;
    char context[sizeof c->cfg->id->context], err[512];
    snprintf(context, sizeof context, "%s", c->cfg->id->context);
    bool ok;
    unsigned rd = switch_context(c, context, err, sizeof err, &ok);
    if (!ok)
        return rd | console_error(c, "%s, but it cannot be used: %s", why, err);
    return rd | console_say(c, "%s: reconnected to %s", why, context);
}

/* :ctx NAME: a new client for that context; the old one stays when it cannot be opened. */
unsigned cmd_context(console *c, const cmd_entry *e, const cmd_args *a)
{
    (void)e;
    if (!c->cfg->reconnect)
        return console_error(c, ":ctx is not available here");
    char err[512];
    bool ok;
    unsigned rd = switch_context(c, a->argv[0], err, sizeof err, &ok);
    if (!ok)
        return rd | console_error(c, "%s", err);
    return rd | console_say(c, "context: %s", a->argv[0]);
}
