/* Unit tests for tui/keys, tui/command and tui/keymap: key names, the keymap format with file:line
 * errors, lookup order, and the compiled-in default matching keymaps/default.keymap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/buf.h"
#include "tui/help.h"
#include "tui/keymap.h"
#include "tui/keys.h"

static void test_key_names_round_trip(void **state)
{
    (void)state;
    const char *names[] = {"j", "G", "?", "/", ":", "<", ">", "0", "C-f", "C-b", "M-x", "M-Enter", "Enter", "Esc",
                           "Tab", "S-Tab", "Up", "Down", "Left", "Right", "PgUp", "PgDn", "Home", "End",
                           "Space", "Backspace", "Delete", "Insert", "F1", "F5", "F12", "é"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        int k;
        assert_true(key_parse(names[i], &k));
        char back[32];
        key_to_name(k, back, sizeof back);
        assert_string_equal(back, names[i]);
    }
    int k;
    assert_true(key_parse("<Enter>", &k));
    assert_int_equal(k, HK_ENTER);
    assert_true(key_parse("enter", &k));
    assert_int_equal(k, HK_ENTER);
    assert_true(key_parse("C-F", &k));
    assert_int_equal(k, 6);
    assert_true(key_parse("PageDown", &k));
    assert_int_equal(k, HK_PGDN);
    const char *bad[] = {"", "F0", "F13", "C-", "C-1", "jj", "M-", "Ctrl", "\x01", " ", "\xc3", "\xc0\xaf", "M-M-x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(key_parse(bad[i], &k));
}

static void count_command(const cmd_entry *e, void *arg)
{
    command c;
    char err[200];
    if (e->args[0].name && !e->args[0].optional)
        return; /* needs an argument: parsed below */
    assert_true(command_parse(e->name, &c, err, sizeof err));
    char back[96];
    command_text(&c, back, sizeof back);
    assert_string_equal(back, e->name);
    assert_non_null(e->exec);
    assert_non_null(e->help);
    (*(int *)arg)++;
}

static void test_commands(void **state)
{
    (void)state;
    int n = 0;
    command_each(count_command, &n);
    assert_true(n > 20);
    command c;
    char err[200];
    assert_true(command_parse("view.etcd", &c, err, sizeof err));
    assert_string_equal(c.e->name, "view.etcd");
    assert_string_equal(c.e->view->name, "etcd");
    assert_false(command_parse("view.hc", &c, err, sizeof err)); /* aliases are for ':', not for keymaps */
    assert_false(command_parse("view.", &c, err, sizeof err));
    assert_false(command_parse("nope", &c, err, sizeof err));
    assert_false(command_parse(NULL, &c, err, sizeof err));
    /* arguments are checked against the command's spec */
    assert_true(command_parse("context prod-east", &c, err, sizeof err));
    assert_string_equal(c.args, "prod-east");
    assert_false(command_parse("context", &c, err, sizeof err));
    assert_non_null(strstr(err, "usage: :ctx NAME"));
    assert_false(command_parse("quit now", &c, err, sizeof err));
    assert_non_null(strstr(err, ":q takes no argument"));
    assert_true(command_parse("cluster.why", &c, err, sizeof err)); /* a view's own command */
    assert_true(c.e->flags & CMDF_NEEDS_ROW);
}

static void test_bad_lines_reported_rest_loads(void **state)
{
    (void)state;
    const char *text = "# a comment\n"
                       "bind generic x quit\n"
                       "bind generic F99 quit\n"
                       "bind nowhere j cursor.down\n"
                       "   \n"
                       "bind generic y frobnicate\n"
                       "bind generic z\n"
                       "unbind generic j\n"
                       "bind clusters j cursor.up\r\n";
    keymap *km = keymap_new();
    buf errs = BUF_INIT;
    assert_int_equal(keymap_load_text(km, text, strlen(text), "my.keymap", &errs), 5);
    const char *e = buf_str(&errs);
    assert_non_null(strstr(e, "my.keymap:3: unknown key \"F99\""));
    assert_non_null(strstr(e, "my.keymap:4: unknown keymap \"nowhere\""));
    assert_non_null(strstr(e, "my.keymap:6: unknown command \"frobnicate\""));
    assert_non_null(strstr(e, "my.keymap:7: "));
    assert_non_null(strstr(e, "my.keymap:8: unknown statement"));
    command c;
    assert_true(keymap_lookup(km, "nodepools", false, 'x', &c));
    assert_string_equal(c.e->name, "quit");
    assert_true(keymap_lookup(km, "clusters", false, 'j', &c));
    assert_string_equal(c.e->name, "cursor.up");
    assert_false(keymap_lookup(km, "nodepools", false, 'j', &c));
    keymap_free(km);
    buf_free(&errs);
}

static void test_hostile_keymap_text(void **state)
{
    (void)state;
    keymap *km = keymap_new();
    buf errs = BUF_INIT;
    /* a 10 KB line, a NUL byte inside a line, binary garbage, no final newline */
    buf text = BUF_INIT;
    buf_puts(&text, "bind generic ");
    for (int i = 0; i < 10000; i++)
        buf_putc(&text, 'x');
    buf_puts(&text, " quit\nbind generic a quit\n");
    buf_append(&text, "bind gen\0eric b quit\n", 21);
    buf_append(&text, "\xff\xfe\x1b[2J\x01\n", 8);
    buf_puts(&text, "bind generic \xc3\xa9 quit");
    int bad = keymap_load_text(km, text.data, text.len, "hostile", &errs);
    assert_int_equal(bad, 3);
    assert_non_null(strstr(buf_str(&errs), "hostile:1: line too long"));
    assert_non_null(strstr(buf_str(&errs), "hostile:3: NUL byte in line"));
    assert_non_null(strstr(buf_str(&errs), "hostile:4: unknown statement"));
    command c;
    assert_true(keymap_lookup(km, NULL, false, 'a', &c));
    assert_true(keymap_lookup(km, NULL, false, 0xE9, &c)); /* the last line, without a newline */
    /* empty input, and only comments */
    assert_int_equal(keymap_load_text(km, "", 0, "empty", &errs), 0);
    assert_int_equal(keymap_load_text(km, "#x\n  # y\n\n", 10, "comments", &errs), 0);
    buf_free(&text);
    buf_free(&errs);
    keymap_free(km);
}

static void test_lookup_order_and_unbind(void **state)
{
    (void)state;
    keymap *km = keymap_default();
    command c;
    /* q quits on a pane, goes back in a detail view */
    assert_true(keymap_lookup(km, "clusters", false, 'q', &c));
    assert_string_equal(c.e->name, "quit");
    assert_true(keymap_lookup(km, "yaml", true, 'q', &c));
    assert_string_equal(c.e->name, "back");
    assert_true(keymap_lookup(km, "yaml", true, HK_TAB, &c));
    assert_string_equal(c.e->name, "detail.next");
    assert_true(keymap_lookup(km, "etcd", false, HK_TAB, &c));
    assert_string_equal(c.e->name, "view.next");
    const char *user = "bind generic q none\nbind generic Q quit\n";
    assert_int_equal(keymap_load_text(km, user, strlen(user), "user", NULL), 0);
    assert_false(keymap_lookup(km, "clusters", false, 'q', &c));
    assert_true(keymap_lookup(km, "clusters", false, 'Q', &c));
    int key;
    assert_true(keymap_key_for(km, "clusters", false, "quit", &key));
    assert_true(key == 'Q' || key == 3);
    keymap_free(km);
}

/* A file of the source tree: from HCPTUI_ROOT (tests/run.sh), else the current directory. */
static char *read_tree_file(const char *rel)
{
    const char *root = getenv("HCPTUI_ROOT");
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", root && *root ? root : ".", rel);
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    buf text = BUF_INIT;
    char chunk[4096];
    size_t r;
    while ((r = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_append(&text, chunk, r);
    fclose(f);
    return buf_steal(&text);
}

typedef struct doc_check {
    const char *doc;
    const char *map;
    int missing;
} doc_check;

static void doc_has_binding(int key, const command *c, const char *map, void *arg)
{
    doc_check *d = arg;
    if (strcmp(map, d->map) != 0)
        return;
    char kn[32], cn[CMD_ARGS_MAX + 64], row[400];
    key_to_name(key, kn, sizeof kn);
    command_text(c, cn, sizeof cn);
    snprintf(row, sizeof row, "| %s | `%s` | `%s` |", map, kn, cn);
    if (!strstr(d->doc, row)) {
        print_error("docs/keymap.md lacks the row \"%s\"\n", row);
        d->missing++;
    }
}

static void test_docs_list_every_default_key(void **state)
{
    (void)state;
    char *doc = read_tree_file("docs/keymap.md");
    assert_non_null(doc);
    keymap *km = keymap_default();
    doc_check d = {doc, "generic", 0};
    keymap_each_effective(km, NULL, false, doc_has_binding, &d);
    d.map = "detail";
    keymap_each_effective(km, NULL, true, doc_has_binding, &d);
    const char *maps[] = {"stats", "clusters", "nodepools", "etcd", "updates", "prompt", "help", "confirm", "picker"};
    for (size_t i = 0; i < sizeof maps / sizeof maps[0]; i++) {
        d.map = maps[i];
        keymap_each_effective(km, maps[i], false, doc_has_binding, &d);
    }
    assert_int_equal(d.missing, 0);
    keymap_free(km);
    free(doc);
}

static void test_default_keymap(void **state)
{
    (void)state;
    keymap *km = keymap_new();
    buf errs = BUF_INIT;
    assert_int_equal(keymap_load_text(km, keymap_default_text, strlen(keymap_default_text), "default", &errs), 0);
    assert_string_equal(buf_str(&errs), "");
    /* every pane is reachable by a key */
    const char *panes[] = {"clusters", "nodepools", "etcd", "updates"};
    for (size_t i = 0; i < 4; i++) {
        int key;
        command want;
        char err[200];
        assert_true(command_parse("view.clusters", &want, err, sizeof err));
        char name[64];
        snprintf(name, sizeof name, "view.%s", panes[i]);
        assert_true(command_parse(name, &want, err, sizeof err));
        bool found = false;
        for (key = '1'; key <= '4'; key++) {
            command c;
            if (keymap_lookup(km, "clusters", false, key, &c) && command_same(&c, &want))
                found = true;
        }
        assert_true(found);
    }
    size_t n = keymap_each_effective(km, "clusters", false, NULL, NULL);
    assert_true(n > 30);
    keymap_free(km);
    buf_free(&errs);

    /* the compiled-in text is keymaps/default.keymap, byte for byte (keymaps/embed.sh regenerates) */
    char *text = read_tree_file("keymaps/default.keymap");
    assert_non_null(text);
    assert_string_equal(text, keymap_default_text);
    free(text);
}

/* The alternative keymaps load on top of the default with no error line, and change what they say. */
static void test_alternative_keymaps(void **state)
{
    (void)state;
    const char *files[] = {"keymaps/vi.keymap", "keymaps/emacs.keymap", "keymaps/k9s.keymap"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char *text = read_tree_file(files[i]);
        assert_non_null(text);
        keymap *km = keymap_default();
        buf errs = BUF_INIT;
        int bad = keymap_load_text(km, text, strlen(text), files[i], &errs);
        if (bad)
            fail_msg("%s", buf_str(&errs));
        buf_free(&errs);
        free(text);
        keymap_free(km);
    }
    keymap *km = keymap_default();
    char *text = read_tree_file("keymaps/k9s.keymap");
    assert_int_equal(keymap_load_text(km, text, strlen(text), "k9s", NULL), 0);
    command c;
    assert_true(keymap_lookup(km, "etcd", false, 4 /* C-d */, &c));
    assert_string_equal(c.e->name, "etcd.recover");
    assert_true(keymap_lookup(km, "nodepools", false, 4, &c));
    assert_string_equal(c.e->name, "nodepool.scale");
    assert_string_equal(c.args, "0");
    free(text);
    keymap_free(km);
}

/* The hint bar shows a key that is bound: a plain character before a control key. */
static void test_hint_key_is_the_bound_one(void **state)
{
    (void)state;
    keymap *km = keymap_default();
    const char *user = "bind generic q none\nbind generic Q quit\n";
    assert_int_equal(keymap_load_text(km, user, strlen(user), "user", NULL), 0);
    int key = 0;
    assert_true(keymap_key_for(km, "clusters", false, "quit", &key));
    assert_int_equal(key, 'Q'); /* not C-c, though it is bound first */
    keymap_free(km);
    char line[200];
    keymap_errors_line("a:1: unknown key \"F99\"\na:4: unknown command \"x\"\n", line, sizeof line);
    assert_string_equal(line, "keymap (2 problems): a:1: unknown key \"F99\"; a:4: unknown command \"x\"");
}

static void test_keymap_file_errors(void **state)
{
    (void)state;
    keymap *km = keymap_new();
    buf errs = BUF_INIT;
    assert_int_equal(keymap_load_file(km, "/nonexistent/dir/x.keymap", &errs), 1);
    assert_non_null(strstr(buf_str(&errs), "x.keymap: No such file"));
    const char *tmpdir = getenv("TMPDIR");
    char tmpl[512];
    snprintf(tmpl, sizeof tmpl, "%s/hcptui-keymap-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
    int fd = mkstemp(tmpl);
    assert_true(fd >= 0);
    const char *text = "bind generic w quit\nbind generic ww quit\n";
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    buf_reset(&errs);
    assert_int_equal(keymap_load_file(km, tmpl, &errs), 1);
    char want[600];
    snprintf(want, sizeof want, "%s:2: unknown key", tmpl);
    assert_non_null(strstr(buf_str(&errs), want));
    unlink(tmpl);
    command c;
    assert_true(keymap_lookup(km, NULL, false, 'w', &c));
    keymap_free(km);
    buf_free(&errs);
}

static void test_help_from_active_keymap(void **state)
{
    (void)state;
    keymap *km = keymap_default();
    const char *mine = "bind clusters J cursor.down\nbind generic q none\n";
    assert_int_equal(keymap_load_text(km, mine, strlen(mine), "mine", NULL), 0);
    buf b = BUF_INIT;
    help_text(km, "clusters", "Hosted clusters", false, &b);
    const char *h = buf_str(&b);
    assert_non_null(strstr(h, "Keys of Hosted clusters"));
    assert_non_null(strstr(h, "J, j, Down"));       /* the view's own key first, one line per command */
    assert_non_null(strstr(h, "cursor.down"));
    assert_non_null(strstr(h, "C-c"));               /* quit is still bound to C-c ... */
    assert_null(strstr(h, "  q, C-c"));              /* ... but no longer to q */
    assert_null(strstr(h, "detail.next"));           /* detail keys are not listed for a pane */
    buf_reset(&b);
    help_text(km, "yaml", "YAML", true, &b);
    assert_non_null(strstr(buf_str(&b), "detail.next"));
    assert_non_null(strstr(buf_str(&b), "q, Esc"));
    buf_free(&b);
    keymap_free(km);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_names_round_trip), cmocka_unit_test(test_commands),
        cmocka_unit_test(test_alternative_keymaps), cmocka_unit_test(test_hint_key_is_the_bound_one),
        cmocka_unit_test(test_bad_lines_reported_rest_loads), cmocka_unit_test(test_lookup_order_and_unbind),
        cmocka_unit_test(test_hostile_keymap_text),
        cmocka_unit_test(test_default_keymap), cmocka_unit_test(test_keymap_file_errors),
        cmocka_unit_test(test_docs_list_every_default_key), cmocka_unit_test(test_help_from_active_keymap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
