/* Unit tests for tui/script: the playback format and vhs tapes, good and hostile, every error with
 * its line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/timeutil.h"
#include "tui/keys.h"
#include "tui/record.h"
#include "tui/script.h"

static int parse(const char *text, bool tape, script *s, buf *errs)
{
    return script_parse(text, strlen(text), "t.play", tape, s, errs);
}

static void test_own_format(void **state)
{
    (void)state;
    const char *text = "# a tour\n"
                       "\n"
                       "key j x3\n"
                       "key S-Tab\n"
                       "type \"/prod east\"\n"
                       "type :np\n"
                       "command upgrade 4.17.9 --force\n"
                       "sleep 300ms\n"
                       "wait-for \"etcd-degraded\" timeout 20s\n"
                       "wait-for /quorum (held|lost)/\n"
                       "wait-idle\n"
                       "expect \"say \\\"hi\\\"\"\n"
                       "expect-not 'QUORUM LOST'\n"
                       "expect-row /prod-[a-z]+/\n"
                       "snapshot out.txt\n"
                       "resize 80x24\r\n"
                       "quit\n";
    script s;
    buf errs = BUF_INIT;
    assert_int_equal(parse(text, false, &s, &errs), 0);
    assert_string_equal(buf_str(&errs), "");
    assert_int_equal(s.n, 15);
    assert_int_equal(s.s[0].kind, ST_KEY);
    assert_int_equal(s.s[0].key, 'j');
    assert_int_equal(s.s[0].repeat, 3);
    assert_int_equal(s.s[0].line, 3);
    assert_int_equal(s.s[1].key, HK_BTAB);
    assert_string_equal(s.s[2].text, "/prod east");
    assert_string_equal(s.s[3].text, ":np");
    assert_int_equal(s.s[4].kind, ST_COMMAND);
    assert_string_equal(s.s[4].text, "upgrade 4.17.9 --force");
    assert_int_equal(s.s[5].ms, 300);
    assert_int_equal(s.s[6].kind, ST_WAIT_FOR);
    assert_int_equal(s.s[6].ms, 20000);
    assert_false(s.s[6].is_regex);
    assert_true(s.s[7].is_regex);
    assert_int_equal(regexec(&s.s[7].re, "2/3: quorum held", 0, NULL, 0), 0);
    assert_int_equal(s.s[7].ms, 10000); /* the default timeout */
    assert_int_equal(s.s[8].kind, ST_WAIT_IDLE);
    assert_string_equal(s.s[9].text, "say \"hi\"");
    assert_int_equal(s.s[10].kind, ST_EXPECT_NOT);
    assert_int_equal(s.s[11].kind, ST_EXPECT_ROW);
    assert_string_equal(s.s[12].text, "out.txt");
    assert_int_equal(s.s[13].cols, 80);
    assert_int_equal(s.s[13].lines, 24);
    assert_int_equal(s.s[14].kind, ST_QUIT);
    script_free(&s);
    buf_free(&errs);
}

static void test_own_errors_with_lines(void **state)
{
    (void)state;
    const char *text = "key Nope\n"         /* 1 */
                       "key j x0\n"         /* 2 */
                       "type \"open\n"      /* 3 */
                       "sleep soon\n"       /* 4 */
                       "wait-for etcd\n"    /* 5 */
                       "wait-for /(/\n"     /* 6 */
                       "expect \"\"\n"      /* 7 */
                       "resize 80by24\n"    /* 8 */
                       "quit now\n"         /* 9 */
                       "frobnicate\n"       /* 10 */
                       "wait-idle soon\n"   /* 11 */
                       "key j\n";           /* 12: fine */
    script s;
    buf errs = BUF_INIT;
    assert_int_equal(parse(text, false, &s, &errs), 11);
    const char *e = buf_str(&errs);
    const char *want[] = {"t.play:1: expected: key NAME", "t.play:2: a count is xN", "t.play:3: a quote is not closed",
                          "t.play:4: expected: sleep DURATION", "t.play:5: expected \"TEXT\" or /REGEX/",
                          "t.play:6: not a regular expression", "t.play:7: the text to find is empty",
                          "t.play:8: expected: resize COLSxLINES", "t.play:9: unexpected words at the end",
                          "t.play:10: unknown statement", "t.play:11: expected: timeout DURATION"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (!strstr(e, want[i]))
            fail_msg("errors lack \"%s\":\n%s", want[i], e);
    assert_null(strstr(e, "t.play:12"));
    script_free(&s);
    buf_free(&errs);
}

static void test_hostile(void **state)
{
    (void)state;
    buf t = BUF_INIT;
    buf_puts(&t, "type \"");
    for (int i = 0; i < 5000; i++)
        buf_putc(&t, 'x');
    buf_puts(&t, "\"\n");
    buf_append(&t, "key\0j\n", 6);
    buf_puts(&t, "\xff\xfe\x1b[2J\n");
    buf_puts(&t, "type \"\x1b]52;c;aGk=\x07\"\n"); /* an escape sequence typed as keys is only text */
    script s;
    buf errs = BUF_INIT;
    assert_int_equal(script_parse(t.data, t.len, "h", false, &s, &errs), 3);
    assert_non_null(strstr(buf_str(&errs), "h:1: line too long"));
    assert_non_null(strstr(buf_str(&errs), "h:2: NUL byte in line"));
    assert_non_null(strstr(buf_str(&errs), "h:3: unknown statement"));
    script_free(&s);
    assert_int_equal(script_parse("", 0, "empty", false, &s, &errs), 0);
    assert_int_equal(s.n, 0);
    script_free(&s);
    buf_free(&t);
    buf_free(&errs);
}

static void test_tape(void **state)
{
    (void)state;
    const char *text = "Output demo.gif\n"
                       "Set FontSize 22\n"
                       "Require hcptui\n"
                       "Hide\n"
                       "Type \"hcptui --demo\"\n"
                       "Enter\n"
                       "Show\n"
                       "Sleep 2\n"
                       "Sleep 500ms\n"
                       "Down@100ms 3\n"
                       "Ctrl+C\n"
                       "Alt+x\n"
                       "Wait /Hosted clusters/\n"
                       "Wait+Screen@20s /etcd/\n"
                       "Screenshot shot.txt\n"
                       "Escape\n";
    script s;
    buf errs = BUF_INIT;
    assert_int_equal(parse(text, true, &s, &errs), 0);
    assert_int_equal(s.n, 16);
    assert_int_equal(s.s[0].kind, ST_NOTE);
    assert_non_null(strstr(s.s[0].text, "Output is ignored"));
    assert_int_equal(s.s[4].kind, ST_TYPE);
    assert_string_equal(s.s[4].text, "hcptui --demo");
    assert_int_equal(s.s[5].key, HK_ENTER);
    assert_int_equal(s.s[7].ms, 2000);
    assert_int_equal(s.s[8].ms, 500);
    assert_int_equal(s.s[9].key, HK_DOWN);
    assert_int_equal(s.s[9].repeat, 3);
    assert_int_equal(s.s[9].ms, 100);
    assert_int_equal(s.s[10].key, 3);
    assert_int_equal(s.s[11].key, HK_META | 'x');
    assert_true(s.s[12].is_regex);
    assert_int_equal(s.s[12].ms, 15000);
    assert_int_equal(s.s[13].ms, 20000);
    assert_int_equal(s.s[14].kind, ST_SNAPSHOT);
    assert_int_equal(s.s[15].key, HK_ESC);
    script_free(&s);

    assert_int_equal(parse("Type hello\nWait etcd\nFrob\nDown 0\n", true, &s, &errs), 4);
    assert_non_null(strstr(buf_str(&errs), "t.play:1: expected: Type \"TEXT\""));
    assert_non_null(strstr(buf_str(&errs), "t.play:2: expected: Wait /REGEX/"));
    assert_non_null(strstr(buf_str(&errs), "t.play:3: unknown tape command"));
    assert_non_null(strstr(buf_str(&errs), "t.play:4: a count is a number"));
    script_free(&s);
    buf_free(&errs);
}

static void test_load_and_speed(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof path, "%s/hcptui-script-XXXXXX.tape", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    int fd = mkstemps(path, 5);
    assert_true(fd >= 0);
    const char *text = "Enter\n";
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    script s;
    buf errs = BUF_INIT;
    assert_int_equal(script_load(path, &s, &errs), 0); /* .tape: read as a tape */
    assert_int_equal(s.s[0].key, HK_ENTER);
    script_free(&s);
    unlink(path);
    assert_int_equal(script_load(path, &s, &errs), 1);
    assert_non_null(strstr(buf_str(&errs), "No such file"));
    script_free(&s);
    buf_free(&errs);
    assert_true(script_speed_parse("2x") == 2.0);
    assert_true(script_speed_parse("0.5x") == 0.5);
    assert_true(script_speed_parse("1.5") == 1.5);
    assert_true(script_speed_parse("0x") == 0);
    assert_true(script_speed_parse("fast") == 0);
    assert_true(script_speed_parse("1000") == 0);
}

/* What --record writes plays back: the same keys, text grouped, pauses as sleeps. */
static void test_record_round_trip(void **state)
{
    (void)state;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    recorder *r = record_on(f);
    int64_t t = now_ms_monotonic();
    record_key(r, '2', false, t + 10);
    record_key(r, ':', false, t + 700);
    const char *typed = "ns \"a\\b";
    for (const char *p = typed; *p; p++)
        record_key(r, (unsigned char)*p, true, t + 720);
    record_key(r, HK_ENTER, true, t + 730);
    record_key(r, HK_RESIZE, false, t + 740); /* not a key a person types */
    record_key(r, 3, false, t + 2000);
    record_close(r);
    fclose(f);
    assert_non_null(strstr(text, "key 2\nsleep 690ms\nkey :\ntype \"ns \\\"a\\\\b\"\nkey Enter\nsleep 1270ms\nkey C-c\nquit\n"));
    script s;
    buf errs = BUF_INIT;
    assert_int_equal(script_parse(text, len, "rec", false, &s, &errs), 0);
    assert_int_equal(s.s[3].kind, ST_TYPE);
    assert_string_equal(s.s[3].text, typed);
    assert_int_equal(s.s[4].key, HK_ENTER);
    script_free(&s);
    buf_free(&errs);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_own_format), cmocka_unit_test(test_own_errors_with_lines),
        cmocka_unit_test(test_hostile),    cmocka_unit_test(test_tape),
        cmocka_unit_test(test_load_and_speed), cmocka_unit_test(test_record_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
