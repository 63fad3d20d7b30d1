/* Unit tests for tui/config: the user's config file, good and broken, and how it sits under the
 * flags. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "tui/config.h"

static void test_config(void **state)
{
    (void)state;
    const char *text = "# a bastion\n"
                       "read-only = true\n"
                       "  keymap=/etc/hcptui/k9s.keymap  \n"
                       "color = never\n"
                       "ascii = no\n"
                       "refresh = 30\r\n";
    tui_config c;
    memset(&c, 0, sizeof c);
    buf errs = BUF_INIT;
    assert_int_equal(config_parse(text, strlen(text), "cfg", &c, &errs), 0);
    assert_true(c.read_only);
    assert_true(c.no_color);
    assert_false(c.ascii);
    assert_string_equal(c.keymap, "/etc/hcptui/k9s.keymap");
    assert_int_equal(c.refresh_seconds, 30);

    /* under the flags: read-only cannot be turned off; a flag's keymap and refresh win */
    tui_options o;
    memset(&o, 0, sizeof o);
    o.keymap = "mine.keymap";
    config_apply(&c, &o);
    assert_true(o.read_only);
    assert_true(o.no_color);
    assert_string_equal(o.keymap, "mine.keymap");
    assert_int_equal(o.refresh_seconds, 30);
    memset(&o, 0, sizeof o);
    o.refresh_seconds = 5;
    config_apply(&c, &o);
    assert_string_equal(o.keymap, "/etc/hcptui/k9s.keymap");
    assert_int_equal(o.refresh_seconds, 5);
    config_free(&c);

    const char *bad = "read-only = maybe\nfrob = 1\nrefresh = 0\ncolor = pink\nkeymap =\nno equals here\n";
    memset(&c, 0, sizeof c);
    assert_int_equal(config_parse(bad, strlen(bad), "cfg", &c, &errs), 6);
    const char *want[] = {"cfg:1: read-only is true or false", "cfg:2: unknown setting", "cfg:3: refresh is whole",
                          "cfg:4: color is never or auto", "cfg:5: keymap needs a file", "cfg:6: expected: NAME = VALUE"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (!strstr(buf_str(&errs), want[i]))
            fail_msg("errors lack \"%s\":\n%s", want[i], buf_str(&errs));
    config_free(&c);
    buf_free(&errs);

    /* none at all: nothing set, no error */
    setenv("XDG_CONFIG_HOME", "/nonexistent-hcptui-test", 1);
    assert_int_equal(config_load(&c, NULL), 0);
    assert_false(c.read_only);
    config_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_config)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
