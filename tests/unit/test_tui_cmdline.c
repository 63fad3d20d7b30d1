/* Unit tests for tui/options (command-line options) and tui/cmdline (the `:` line and completion). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "tui/cmdline.h"
#include "tui/keys.h"
#include "tui/options.h"
#include "tui/prompt.h"

static int parse(tui_options *o, char *err, size_t errlen, const char *a1, const char *a2, const char *a3,
                 const char *a4)
{
    char *argv[6] = {(char *)"hcptui", (char *)a1, (char *)a2, (char *)a3, (char *)a4, NULL};
    int argc = 1;
    while (argc < 5 && argv[argc])
        argc++;
    return options_parse(argc, argv, o, err, errlen);
}

static void test_options_good(void **state)
{
    (void)state;
    tui_options o;
    char err[256];
    assert_int_equal(parse(&o, err, sizeof err, NULL, NULL, NULL, NULL), 0);
    assert_null(o.ns);
    assert_false(o.once);
    assert_int_equal(parse(&o, err, sizeof err, "--kubeconfig", "kc.yaml", "--context=prod", "-A"), 0);
    assert_string_equal(o.kubeconfig, "kc.yaml");
    assert_string_equal(o.context, "prod");
    assert_int_equal(parse(&o, err, sizeof err, "-n", "clusters", "--once", "--pane=np"), 0);
    assert_string_equal(o.ns, "clusters");
    assert_true(o.once);
    assert_string_equal(o.pane, "nodepools"); /* aliases resolve to the pane's name */
    assert_int_equal(parse(&o, err, sizeof err, "-nfoo", "--read-only", "--refresh", "5"), 0);
    assert_string_equal(o.ns, "foo");
    assert_true(o.read_only);
    assert_int_equal(o.refresh_seconds, 5);
    assert_int_equal(parse(&o, err, sizeof err, "--demo", "--no-color", "--ascii", "--keymap=k"), 0);
    assert_true(o.demo && o.no_color && o.ascii);
    assert_string_equal(o.keymap, "k");
    assert_int_equal(parse(&o, err, sizeof err, "-h", NULL, NULL, NULL), 0);
    assert_true(o.help);
    assert_int_equal(parse(&o, err, sizeof err, "--version", NULL, NULL, NULL), 0);
    assert_true(o.version);
}

static void expect_error(const char *a1, const char *a2, const char *a3, const char *needle)
{
    tui_options o;
    char err[256] = "";
    assert_int_equal(parse(&o, err, sizeof err, a1, a2, a3, NULL), -1);
    if (!strstr(err, needle))
        fail_msg("\"%s\" not in \"%s\"", needle, err);
}

static void test_options_bad(void **state)
{
    (void)state;
    expect_error("--bogus", NULL, NULL, "unknown option \"--bogus\"");
    expect_error("-x", NULL, NULL, "unknown option \"-x\"");
    expect_error("--kubeconfig", NULL, NULL, "needs a value");
    expect_error("--refresh", "0", NULL, "--refresh wants whole seconds");
    expect_error("--refresh", "5s", NULL, "--refresh wants whole seconds");
    expect_error("--refresh", "99999999999999999999", NULL, "--refresh");
    expect_error("--pane", "pods", NULL, "unknown pane \"pods\"");
    expect_error("--pane", "yaml", NULL, "unknown pane"); /* a detail view is not a pane */
    expect_error("-n", "a", "-A", "exclude each other");
    expect_error("--once=yes", NULL, NULL, "takes no value");
    expect_error("stray", NULL, NULL, "unexpected argument");
    expect_error("--demo", "--kubeconfig", "x", "--demo brings its own cluster");
    expect_error("--namespace=", NULL, NULL, "needs a name");
}

/* A line parses into one command with its arguments as typed, the same a key binding holds. */
static void expect_command(const char *line, const char *name, const char *args)
{
    cmdline_result r;
    cmdline_parse(line, &r);
    assert_int_equal(r.kind, CL_COMMAND);
    assert_string_equal(r.cmd.e->name, name);
    assert_string_equal(r.cmd.args, args);
}

static void expect_line_error(const char *line, const char *words)
{
    cmdline_result r;
    cmdline_parse(line, &r);
    assert_int_equal(r.kind, CL_ERROR);
    if (!strstr(r.err, words))
        fail_msg("\"%s\": \"%s\" has no \"%s\"", line, r.err, words);
}

static void test_cmdline_parse(void **state)
{
    (void)state;
    expect_command("hc", "view.clusters", "");
    expect_command("  np ", "view.nodepools", "");
    expect_command("etcd", "view.etcd", "");
    expect_command("updates", "view.updates", "");
    expect_command("ctx prod-east", "context", "prod-east");
    expect_command("context prod-east", "context", "prod-east");
    expect_line_error("ctx", "usage: :ctx NAME (Tab lists the contexts)");
    expect_line_error("ctx a b", "usage: :ctx NAME");
    expect_command("ns clusters", "namespace", "clusters");
    expect_command("ns all", "namespace", "all"); /* the command reads "all" as every namespace */
    expect_command("ns", "namespace", "");
    expect_command("q", "quit", "");
    expect_command("QUIT", "quit", "");
    expect_line_error("quit now", ":q takes no argument");
    expect_command("sort.next", "sort.next", "");
    expect_command("why", "cluster.why", ""); /* a view's own command, by its alias */
    expect_command("ctx \"a b\"", "context", "\"a b\"");
    expect_line_error("ctx \"a b", "a quote is not closed");
    cmdline_result r;
    cmdline_parse("", &r);
    assert_int_equal(r.kind, CL_EMPTY);
    cmdline_parse("   ", &r);
    assert_int_equal(r.kind, CL_EMPTY);
    expect_line_error("frob", "unknown command \":frob\"");
    expect_line_error("none", "unknown command"); /* unbinding is for keymaps */
    expect_line_error("hc extra", ":view.clusters takes no argument");
}

static void test_cmdline_complete(void **state)
{
    (void)state;
    char line[64], shown[256];
    const char *ctxs[] = {"prod-east", "prod-west", "staging"};
    cmdline_sources src = {ctxs, 3, NULL, 0};

    strcpy(line, "etc");
    assert_int_equal(cmdline_complete(line, sizeof line, &src, shown, sizeof shown), 1);
    assert_string_equal(line, "etcd ");

    /* a view's alias and commands share a prefix: the common part, and the candidates listed */
    strcpy(line, "upg");
    assert_int_equal(cmdline_complete(line, sizeof line, &src, shown, sizeof shown), 2);
    assert_string_equal(line, "upgrade");
    assert_string_equal(shown, "upgrades upgrade");

    strcpy(line, "ctx s");
    assert_int_equal(cmdline_complete(line, sizeof line, &src, shown, sizeof shown), 1);
    assert_string_equal(line, "ctx staging");

    strcpy(line, "ctx p");
    assert_int_equal(cmdline_complete(line, sizeof line, &src, shown, sizeof shown), 2);
    assert_string_equal(line, "ctx prod-");
    assert_string_equal(shown, "prod-east prod-west");

    strcpy(line, "sta");
    assert_int_equal(cmdline_complete(line, sizeof line, &src, shown, sizeof shown), 1);
    assert_string_equal(line, "stats ");
    cmdline_result r;
    cmdline_parse(line, &r);
    assert_int_equal(r.kind, CL_COMMAND);
    assert_string_equal(r.cmd.e->name, "stats");

    strcpy(line, "ctx zzz");
    assert_int_equal(cmdline_complete(line, sizeof line, &src, shown, sizeof shown), 0);
    assert_string_equal(line, "ctx zzz");

    strcpy(line, "n");
    assert_true(cmdline_complete(line, sizeof line, &src, shown, sizeof shown) >= 2); /* np, nodepools, ns ... */
    assert_non_null(strstr(shown, "ns"));
    assert_non_null(strstr(shown, "np"));

    /* no room: the line is left as it was */
    char tiny[6] = "ctx s";
    cmdline_complete(tiny, sizeof tiny, &src, NULL, 0);
    assert_string_equal(tiny, "ctx s");
}

static void test_prompt_editing(void **state)
{
    (void)state;
    char line[8] = "";
    assert_true(prompt_insert(line, sizeof line, 'p'));
    assert_true(prompt_insert(line, sizeof line, 0xE9)); /* é: two bytes */
    assert_true(prompt_insert(line, sizeof line, 0x65E5)); /* 日: three bytes */
    assert_string_equal(line, "p\xc3\xa9\xe6\x97\xa5");
    assert_false(prompt_insert(line, sizeof line, 0x65E5)); /* 6 + 3 + NUL > 8 */
    assert_true(prompt_insert(line, sizeof line, '!'));
    assert_false(prompt_insert(line, sizeof line, 'x')); /* full */
    /* controls, special keys and Meta combinations never enter the line */
    char l2[16] = "";
    assert_false(prompt_insert(l2, sizeof l2, 27));
    assert_false(prompt_insert(l2, sizeof l2, 0x9B));
    assert_false(prompt_insert(l2, sizeof l2, HK_UP));
    assert_false(prompt_insert(l2, sizeof l2, 'x' | HK_META));
    assert_false(prompt_insert(l2, sizeof l2, 0xD800));
    assert_string_equal(l2, "");
    /* backspace removes whole characters */
    assert_true(prompt_backspace(line));
    assert_string_equal(line, "p\xc3\xa9\xe6\x97\xa5");
    assert_true(prompt_backspace(line));
    assert_string_equal(line, "p\xc3\xa9");
    assert_true(prompt_backspace(line));
    assert_true(prompt_backspace(line));
    assert_false(prompt_backspace(line));
    assert_string_equal(line, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_options_good), cmocka_unit_test(test_options_bad),
        cmocka_unit_test(test_cmdline_parse), cmocka_unit_test(test_cmdline_complete),
        cmocka_unit_test(test_prompt_editing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
