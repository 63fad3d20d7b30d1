/* The console's key path without a terminal: the in-process simulator (demo fleet, frozen), a real
 * client, and a headless console fed keys through console_key(), the function the terminal's loop
 * calls. Checks commands, layers and panes by their state, not by the screen (the tmux tests read
 * the screen). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client/client.h"
#include "client/kubeconfig.h"
#include "common/timeutil.h"
#include "sim/server.h"
#include "tui/console.h"
#include "tui/keymap.h"
#include "tui/keys.h"

typedef struct harness {
    sim_server *sim;
    kube_target *target;
    client *cl;
    keymap *km;
    app_identity id;
    app_config cfg;
    console *c;
} harness;

static harness H;

static void open_console(const char *extra_keymap, bool read_only)
{
    char err[512];
    H.km = keymap_default();
    if (extra_keymap)
        assert_int_equal(keymap_load_text(H.km, extra_keymap, strlen(extra_keymap), "test", NULL), 0);
    const char *yaml = sim_server_admin_kubeconfig(H.sim);
    assert_int_equal(kubeconfig_load_text(yaml, strlen(yaml), "<test>", NULL, NULL, &H.target, err, sizeof err), 0);
    client_options co = {.target = H.target, .read_only = read_only};
    H.cl = client_open(&co, err, sizeof err);
    assert_non_null(H.cl);
    client_start(H.cl);
    memset(&H.cfg, 0, sizeof H.cfg);
    H.cfg.cl = H.cl;
    H.cfg.km = H.km;
    H.cfg.id = &H.id;
    H.cfg.read_only = read_only;
    H.c = console_new(&H.cfg, true);
    H.c->sc.cols = 160;
    H.c->sc.lines = 48;
}

static void close_console(void)
{
    console_free(H.c);
    client_close(H.cl);
    kube_target_free(H.target);
    keymap_free(H.km);
    H.c = NULL;
    H.cl = NULL;
    H.target = NULL;
    H.km = NULL;
}

/* One turn of the loop, as app.c runs it but without painting. */
static void turn(int timeout_ms)
{
    bool ready = false;
    client_poll(H.c->cl, -1, timeout_ms, &ready);
    console_after_wait(H.c);
    int id;
    while ((id = timers_pop_due(&H.c->timers, now_ms_monotonic())) >= 0)
        console_timer(H.c, id);
    console_sync(H.c);
}

static bool front_live(void)
{
    char why[64];
    const view_ops *ops = paneset_active_ops(&H.c->ps);
    client_freshness f; /* started: before the first list every kind is "off", which counts as live */
    if (!client_freshness_get(H.c->cl, RES_HOSTEDCLUSTER, &f) || f.state != FRESH_LIVE)
        return false;
    return ops && paneset_freshness(&H.c->ps, ops, why, sizeof why) == FRESH_LIVE && !paneset_front_waits(&H.c->ps);
}

/* Turns until the view in front has its data (and the views caught up), at most 10 s. */
static void wait_live(void)
{
    int64_t until = now_ms_monotonic() + 10000;
    while (now_ms_monotonic() < until) {
        turn(50);
        if (front_live()) {
            /* past the repaint slot (REPAINT_MIN_MS): the models are computed from the data */
            int64_t settled = now_ms_monotonic() + 3 * REPAINT_MIN_MS;
            while (now_ms_monotonic() < settled)
                turn(20);
            return;
        }
    }
    fail_msg("the front view did not become live in 10 s");
}

static void keys(const char *text)
{
    for (const char *p = text; *p; p++)
        console_key(H.c, (unsigned char)*p);
}

static void key(int k)
{
    console_key(H.c, k);
}

static const char *pane_name(void)
{
    const view_ops *ops = paneset_active_ops(&H.c->ps);
    return ops ? ops->name : "";
}

static view_object selected(void)
{
    view_object o;
    memset(&o, 0, sizeof o);
    assert_true(paneset_selected(&H.c->ps, &o));
    return o;
}

static size_t rows(void)
{
    return view_model_rows(paneset_active(&H.c->ps)->m);
}

static void expect_message(const char *words)
{
    if (!strstr(H.c->msg.text, words))
        fail_msg("message \"%s\" lacks \"%s\"", H.c->msg.text, words);
}

static int setup(void **state)
{
    (void)state;
    char err[256];
    sim_server_config sc = {.listen = "127.0.0.1:0", .fleet = "demo", .seed = 1, .tick_ms = 0};
    H.sim = sim_server_start(&sc, err, sizeof err);
    return H.sim ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    sim_server_stop(H.sim);
    return 0;
}

static void test_panes_and_cursor(void **state)
{
    (void)state;
    open_console(NULL, false);
    wait_live();
    assert_string_equal(pane_name(), "clusters");
    assert_int_equal(rows(), 8);
    view_object first = selected();
    keys("j");
    view_object second = selected();
    assert_false(view_object_equal(&first, &second));
    keys("k");
    view_object back = selected();
    assert_true(view_object_equal(&first, &back));
    keys("G");
    assert_int_equal(view_model_selected(paneset_active(&H.c->ps)->m), rows() - 1);
    keys("g");
    assert_int_equal(view_model_selected(paneset_active(&H.c->ps)->m), 0);
    keys("2");
    assert_string_equal(pane_name(), "nodepools");
    key(HK_TAB);
    assert_string_equal(pane_name(), "etcd");
    key(HK_BTAB);
    key(HK_BTAB);
    assert_string_equal(pane_name(), "clusters");
    /* a key bound to nothing says so, and changes nothing */
    keys("\x07");
    expect_message("is not bound here");
    assert_string_equal(pane_name(), "clusters");
    close_console();
}

static void test_command_prompt_layer(void **state)
{
    (void)state;
    open_console(NULL, false);
    wait_live();
    keys(":");
    assert_int_equal(H.c->layers.n, 1);
    assert_ptr_equal(layer_top(&H.c->layers)->ops, &prompt_layer);
    keys("npq"); /* typed into the line: q does not quit */
    assert_false(H.c->quit);
    key(HK_BACKSPACE);
    assert_string_equal(layer_top(&H.c->layers)->text, "np");
    key(HK_ENTER);
    assert_int_equal(H.c->layers.n, 0);
    assert_string_equal(pane_name(), "nodepools");

    /* :ns with an argument, :ns all, and an error in words */
    keys(":ns clusters");
    key(HK_ENTER);
    assert_string_equal(H.c->ps.scope_ns, "clusters");
    expect_message("namespace: clusters");
    keys(":ns all");
    key(HK_ENTER);
    assert_string_equal(H.c->ps.scope_ns, "");
    keys(":ns nowhere"); /* a namespace without hosted clusters says so */
    key(HK_ENTER);
    expect_message("namespace: nowhere (it holds no hosted cluster; :ns all shows the fleet)");
    keys(":ns");
    key(HK_ENTER);
    keys(":frob");
    key(HK_ENTER);
    expect_message("unknown command \":frob\"");
    assert_true(H.c->msg.error);
    keys(":ctx");
    key(HK_ENTER);
    expect_message("usage: :ctx NAME");

    /* Tab completes the command word from the table; Esc closes without running */
    keys(":sta");
    key(HK_TAB);
    assert_string_equal(layer_top(&H.c->layers)->text, "stats ");
    key(HK_ESC);
    assert_int_equal(H.c->layers.n, 0);
    assert_false(H.c->ps.stats_open);
    /* Backspace on an empty line closes the prompt */
    keys(":");
    key(HK_BACKSPACE);
    assert_int_equal(H.c->layers.n, 0);
    /* any command by name, and :q */
    keys(":stats");
    key(HK_ENTER);
    assert_true(H.c->ps.stats_open);
    keys("q");
    assert_false(H.c->ps.stats_open);
    keys(":q");
    key(HK_ENTER);
    assert_true(H.c->quit);
    close_console();
}

static void test_filter_layer_and_back(void **state)
{
    (void)state;
    open_console(NULL, false);
    wait_live();
    keys("/");
    assert_ptr_equal(layer_top(&H.c->layers)->ops, &prompt_layer);
    keys("prod");
    assert_int_equal(rows(), 2); /* live, as typed */
    key(HK_ENTER);
    assert_int_equal(H.c->layers.n, 0);
    assert_int_equal(rows(), 2);
    key(HK_ESC); /* back: clears the filter */
    assert_int_equal(rows(), 8);
    keys("/team");
    key(HK_ESC); /* Esc in the prompt cancels the filter being typed */
    assert_int_equal(H.c->layers.n, 0);
    assert_int_equal(rows(), 8);

    /* reopening / starts from the filter, selected: typing replaces it, Enter keeps it */
    keys("/prod");
    key(HK_ENTER);
    keys("/");
    assert_string_equal(layer_top(&H.c->layers)->text, "prod");
    assert_true(layer_top(&H.c->layers)->selected);
    keys("team");
    assert_string_equal(layer_top(&H.c->layers)->text, "team");
    assert_int_equal(rows(), 3);
    key(21); /* C-u clears the line */
    assert_string_equal(layer_top(&H.c->layers)->text, "");
    assert_int_equal(rows(), 8);
    key(HK_ESC);
    keys("/prod");
    key(HK_ENTER);
    keys("/");
    key(HK_ENTER); /* kept */
    assert_int_equal(rows(), 2);
    keys("/");
    key(HK_BACKSPACE); /* the selection erased whole */
    assert_string_equal(layer_top(&H.c->layers)->text, "");
    assert_int_equal(rows(), 8);
    key(HK_ESC);

    /* an unknown command lists the commands, :stats included */
    keys(":frob");
    key(HK_ENTER);
    expect_message("unknown command \":frob\" (? lists them all)");
    expect_message(":stats");
    expect_message(":pause");
    close_console();
}

static void test_help_layer(void **state)
{
    (void)state;
    open_console(NULL, false);
    wait_live();
    keys("?");
    layer *l = layer_top(&H.c->layers);
    assert_non_null(l);
    assert_ptr_equal(l->ops, &help_layer);
    assert_non_null(strstr(buf_str(&l->lines), "Keys of Hosted clusters"));
    assert_non_null(strstr(buf_str(&l->lines), "prompt.accept")); /* every layer's keys are listed */
    assert_non_null(strstr(buf_str(&l->lines), "help.down"));
    keys("jj");
    assert_int_equal(layer_top(&H.c->layers)->top, 2);
    keys("k");
    assert_int_equal(layer_top(&H.c->layers)->top, 1);
    keys("2"); /* any other key closes help and does nothing else */
    assert_int_equal(H.c->layers.n, 0);
    assert_string_equal(pane_name(), "clusters");
    close_console();
}

static void test_details_scope_and_view_command(void **state)
{
    (void)state;
    open_console(NULL, false);
    wait_live();
    keys("/blocked-minor");
    key(HK_ENTER);
    assert_int_equal(rows(), 1);
    keys("w"); /* cluster.why: the clusters pane's own command */
    expect_message("team-a/blocked-minor: ");
    expect_message("blocked");
    key(HK_ENTER);
    assert_true(H.c->ps.detail_open);
    assert_string_equal(H.c->ps.target.name, "blocked-minor");
    keys("y");
    assert_string_equal(pane_name(), "yaml");
    keys("q"); /* back, in a detail view */
    assert_false(H.c->ps.detail_open);
    assert_false(H.c->quit);
    keys("c");
    assert_string_equal(H.c->ps.scope_cluster_name, "blocked-minor");
    expect_message("scoped to cluster team-a/blocked-minor");
    keys("2");
    wait_live();
    assert_true(rows() > 0);
    for (size_t r = 0; r < rows(); r++) {
        view_object o;
        if (view_model_row_object(paneset_active(&H.c->ps)->m, r, &o))
            assert_string_equal(o.cluster_name, "blocked-minor");
    }
    keys(":why"); /* a view's command typed on another pane acts on the row's cluster */
    key(HK_ENTER);
    expect_message("team-a/blocked-minor: ");
    keys("0");
    assert_string_equal(H.c->ps.scope_cluster_name, "");
    close_console();
}

/* Layer keys and commands with arguments can be rebound like any other. */
static void test_rebinding_layers_and_arguments(void **state)
{
    (void)state;
    const char *mine = "bind prompt C-o prompt.accept\n"
                       "bind prompt Enter none\n"
                       "bind generic F5 namespace prod\n"
                       "bind help x help.down\n";
    open_console(mine, false);
    wait_live();
    key(HK_F1 + 4); /* F5: a command with its argument, from the keymap */
    assert_string_equal(H.c->ps.scope_ns, "prod");
    expect_message("namespace: prod");
    keys(":np");
    key(HK_ENTER); /* unbound in the prompt now, and not printable: nothing happens */
    assert_int_equal(H.c->layers.n, 1);
    assert_string_equal(layer_top(&H.c->layers)->text, "np");
    key(15); /* C-o */
    assert_int_equal(H.c->layers.n, 0);
    assert_string_equal(pane_name(), "nodepools");
    keys("?x");
    assert_int_equal(H.c->layers.n, 1);
    assert_int_equal(layer_top(&H.c->layers)->top, 1);
    close_console();
}

/* The flags of a command are policy: a mutating command never runs in read-only mode. */
static int mutations_run;
static unsigned fake_mutation(console *c, const cmd_entry *e, const cmd_args *a)
{
    (void)c, (void)e, (void)a;
    mutations_run++;
    return RD_NONE;
}

static void test_read_only_refuses_mutating_commands(void **state)
{
    (void)state;
    const cmd_entry pause = {"cluster.fake-pause", NULL, {{0}}, CMDF_MUTATING, "test", fake_mutation, NULL, NULL};
    command cmd = {&pause, ""};
    open_console(NULL, true);
    wait_live();
    console_run(H.c, &cmd);
    assert_int_equal(mutations_run, 0);
    expect_message("refused in read-only mode");
    close_console();
    open_console(NULL, false);
    wait_live();
    console_run(H.c, &cmd);
    assert_int_equal(mutations_run, 1);
    close_console();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_panes_and_cursor),
        cmocka_unit_test(test_command_prompt_layer),
        cmocka_unit_test(test_filter_layer_and_back),
        cmocka_unit_test(test_help_layer),
        cmocka_unit_test(test_details_scope_and_view_command),
        cmocka_unit_test(test_rebinding_layers_and_arguments),
        cmocka_unit_test(test_read_only_refuses_mutating_commands),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
