/* Unit tests for common/: buffers, times, durations, JSON helpers. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>
#include <string.h>

#include "common/buf.h"
#include "common/errfmt.h"
#include "common/secret.h"
#include "common/xdg.h"
#include "common/diaglog.h"
#include <unistd.h>
#include <sys/stat.h>
#include "common/jsonutil.h"
#include "common/textfile.h"
#include "common/timeutil.h"

static void test_buf(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    assert_string_equal(buf_str(&b), "");
    buf_puts(&b, "abc");
    buf_printf(&b, "-%d-%s", 42, "x");
    assert_string_equal(buf_str(&b), "abc-42-x");
    for (int i = 0; i < 1000; i++)
        buf_putc(&b, 'z');
    assert_int_equal(b.len, 8 + 1000);
    buf_reset(&b);
    assert_string_equal(buf_str(&b), "");
    buf_free(&b);
}

static void test_rfc3339(void **state)
{
    (void)state;
    time_t t;
    assert_true(rfc3339_parse("2026-07-04T00:00:00Z", &t));
    assert_int_equal(t, 1783123200);
    char out[21];
    rfc3339_format(t, out);
    assert_string_equal(out, "2026-07-04T00:00:00Z");
    assert_true(rfc3339_parse("2026-07-04T02:00:00.123+02:00", &t));
    assert_int_equal(t, 1783123200);
    assert_false(rfc3339_parse("true", &t));
    assert_false(rfc3339_parse("2026-07-04 00:00:00Z", &t));
    assert_false(rfc3339_parse("2026-13-04T00:00:00Z", &t));
    assert_false(rfc3339_parse("2026-07-04T00:00:00Zjunk", &t));
    assert_false(rfc3339_parse(NULL, &t));
}

static void test_xasprintf_errfmt_secret(void **state)
{
    (void)state;
    char *s = xasprintf("%s-%d", "np", 42);
    assert_string_equal(s, "np-42");
    free(s);
    char big[5000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    s = xasprintf("<%s>", big);
    assert_int_equal(strlen(s), sizeof big + 1);
    free(s);

    char err[8];
    assert_int_equal(set_err(err, sizeof err, "bad %s", "kubeconfig"), -1);
    assert_string_equal(err, "bad kub"); /* cut to the buffer, NUL-terminated */
    assert_int_equal(set_err(NULL, 0, "ignored %d", 1), -1);

    char *tok = xstrdup("sha256~secret");
    secret_wipe(tok, 6);
    for (int i = 0; i < 6; i++)
        assert_int_equal(tok[i], 0);
    assert_string_equal(tok + 6, "~secret");
    secret_free(tok, 13);
    secret_free(NULL, 0);
}

static void test_xdg(void **state)
{
    (void)state;
    char out[256];
    setenv("HOME", "/home/u", 1);
    setenv("XDG_STATE_HOME", "/var/state", 1);
    assert_true(xdg_path("XDG_STATE_HOME", ".local/state", "hcptui/audit.log", out, sizeof out));
    assert_string_equal(out, "/var/state/hcptui/audit.log");
    setenv("XDG_STATE_HOME", "relative/not/allowed", 1); /* the spec: only absolute paths count */
    assert_true(xdg_path("XDG_STATE_HOME", ".local/state", "hcptui/audit.log", out, sizeof out));
    assert_string_equal(out, "/home/u/.local/state/hcptui/audit.log");
    unsetenv("XDG_STATE_HOME");
    unsetenv("HOME");
    assert_false(xdg_path("XDG_STATE_HOME", ".local/state", "x", out, sizeof out));
    char tiny[8];
    setenv("HOME", "/home/u", 1);
    assert_false(xdg_path("XDG_STATE_HOME", ".local/state", "x", tiny, sizeof tiny));
}

static void test_diaglog(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof path, "%s/hcptui-log-%d", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getpid());
    char old[300];
    snprintf(old, sizeof old, "%s.1", path);
    unlink(path);
    unlink(old);
    diaglog("not open: nothing happens");
    char err[300];
    assert_true(diaglog_open(path, 200, err, sizeof err));
    assert_true(diaglog_active());
    diaglog("request GET /api/v1/pods: %d", 200);
    diaglog("a server's words\nforged line"); /* one line whatever the words hold */
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    FILE *f = fopen(path, "r");
    char line[512];
    int lines = 0;
    while (fgets(line, sizeof line, f))
        lines++;
    fclose(f);
    assert_int_equal(lines, 2);
    for (int i = 0; i < 20; i++) /* past the cap: FILE.1 and a new FILE, both small */
        diaglog("filler line %d", i);
    assert_int_equal(stat(old, &sb), 0);
    assert_true(sb.st_size <= 200);
    assert_int_equal(stat(path, &sb), 0);
    assert_true(sb.st_size <= 200);
    diaglog_close();
    assert_false(diaglog_active());
    unlink(path);
    unlink(old);
    assert_false(diaglog_open("/nonexistent-dir/x.log", 0, err, sizeof err));
    assert_non_null(strstr(err, "No such file"));
}

static void test_duration(void **state)
{
    (void)state;
    int64_t ms;
    assert_true(duration_parse_ms("0s", &ms));
    assert_int_equal(ms, 0);
    assert_true(duration_parse_ms("10m", &ms));
    assert_int_equal(ms, 600000);
    assert_true(duration_parse_ms("1h30m", &ms));
    assert_int_equal(ms, 5400000);
    assert_true(duration_parse_ms("1.5h", &ms));
    assert_int_equal(ms, 5400000);
    assert_true(duration_parse_ms("250ms", &ms));
    assert_int_equal(ms, 250);
    assert_false(duration_parse_ms("", &ms));
    assert_false(duration_parse_ms("10", &ms));
    assert_false(duration_parse_ms("5x", &ms));
    assert_false(duration_parse_ms("h", &ms));
    assert_false(duration_parse_ms("99999999999999h", &ms));
}

static void test_age(void **state)
{
    (void)state;
    char out[16];
    age_format(45, out, sizeof out);
    assert_string_equal(out, "45s");
    age_format(3 * 3600 + 12 * 60, out, sizeof out);
    assert_string_equal(out, "3h12m");
    age_format(5 * 86400, out, sizeof out);
    assert_string_equal(out, "5d");
    age_format(-5, out, sizeof out);
    assert_string_equal(out, "0s");
}

static void test_json(void **state)
{
    (void)state;
    const char *text = "{\"a\":{\"b\":{\"c\":\"x\",\"n\":3,\"f\":1.5}}}";
    cJSON *j = json_parse_len(text, strlen(text));
    assert_non_null(j);
    assert_string_equal(json_str_at(j, "a", "b", "c", NULL), "x");
    assert_null(json_str_at(j, "a", "b", "n", NULL));
    assert_null(json_at(j, "a", "x", "c", NULL));
    assert_null(json_at(j, "a", "b", "c", "d", NULL));
    int64_t n;
    assert_true(json_int_at(&n, j, "a", "b", "n", NULL));
    assert_int_equal(n, 3);
    assert_false(json_int_at(&n, j, "a", "b", "f", NULL));
    json_set_str(json_obj_child(json_obj_child(j, "a"), "new"), "k", "v");
    assert_string_equal(json_str_at(j, "a", "new", "k", NULL), "v");
    cJSON_Delete(j);
    assert_null(json_parse_len("{\"a\":", 5));
    assert_null(json_parse_len("{}{}", 4));
    assert_null(json_parse_len("{} x", 4));
    cJSON *ok = json_parse_len("{} \n", 4);
    assert_non_null(ok);
    cJSON_Delete(ok);
}

/* Casts, recordings and snapshots are private whatever the umask; a device is left alone. */
static void test_textfile_create(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof path, "%s/hcptui-create-%d", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getpid());
    unlink(path);
    mode_t saved = umask(0);
    FILE *f = textfile_create(path);
    assert_non_null(f);
    fputs("first", f);
    assert_int_equal(fclose(f), 0);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 07777, 0600);
    assert_int_equal(chmod(path, 0644), 0); /* an existing file: emptied and made private */
    f = textfile_create(path);
    assert_non_null(f);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 07777, 0600);
    assert_int_equal(sb.st_size, 0);
    struct stat before, after;
    assert_int_equal(stat("/dev/null", &before), 0);
    f = textfile_create("/dev/null");
    assert_non_null(f);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(stat("/dev/null", &after), 0);
    assert_int_equal(after.st_mode, before.st_mode);
    umask(saved);
    errno = 0;
    assert_null(textfile_create("/nonexistent-dir/x"));
    assert_int_equal(errno, ENOENT);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buf), cmocka_unit_test(test_xasprintf_errfmt_secret), cmocka_unit_test(test_xdg), cmocka_unit_test(test_diaglog), cmocka_unit_test(test_rfc3339), cmocka_unit_test(test_duration),
        cmocka_unit_test(test_age), cmocka_unit_test(test_json), cmocka_unit_test(test_textfile_create),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
