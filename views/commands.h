/* The views' own commands that build actions (views/cmd_*.c), listed in their views' command
 * tables. Each reads the store and the selected or marked rows, and builds the action with the
 * pure builders of client/action.h; nothing here sends anything. */
#ifndef HCP_VIEWS_COMMANDS_H
#define HCP_VIEWS_COMMANDS_H

#include "client/action.h"
#include "client/records.h"
#include "views/view.h"

/* cmd_cluster.c */
void cmd_cluster_pause(const view_cmd_ctx *ctx, view_cmd_out *out);
void cmd_cluster_resume(const view_cmd_ctx *ctx, view_cmd_out *out);
void cmd_cluster_upgrade(const view_cmd_ctx *ctx, view_cmd_out *out);
void cmd_cluster_channel(const view_cmd_ctx *ctx, view_cmd_out *out);
/* cmd_nodepool.c */
void cmd_nodepool_scale(const view_cmd_ctx *ctx, view_cmd_out *out);
void cmd_nodepool_upgrade(const view_cmd_ctx *ctx, view_cmd_out *out);
/* cmd_etcd.c */
void cmd_etcd_recover(const view_cmd_ctx *ctx, view_cmd_out *out);

/* cmd_common.c: what the commands share */
/* Says an error on the out (printf-like). */
void cmd_fail(view_cmd_out *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Takes the action built by a builder (rc 0), or says its error (rc -1) and frees it. */
void cmd_take(view_cmd_out *out, action *a, int rc, const char *err);
/* The hosted clusters the command acts on: the marked rows' clusters when any are marked, else the
 * selected row's; deduplicated. Returns how many (at most max); 0 with the reason said on out. */
size_t cmd_clusters(const view_cmd_ctx *ctx, record **out_recs, size_t max, view_cmd_out *out);
/* The same for node pools (rows that are NodePools). */
size_t cmd_nodepools(const view_cmd_ctx *ctx, record **out_recs, size_t max, view_cmd_out *out);

#endif
