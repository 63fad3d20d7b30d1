/* Unit tests for the in-process server API (what hcptui --demo calls): start on a free port, the
 * kubeconfig texts and files, a TCP connection, configuration errors, stop. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/server.h"

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    char *text = calloc(1, 65536);
    size_t n = fread(text, 1, 65535, f);
    text[n] = '\0';
    fclose(f);
    return text;
}

static void test_start_stop(void **state)
{
    (void)state;
    char *base = getenv("TMPDIR");
    char tmpl[512];
    snprintf(tmpl, sizeof tmpl, "%s/hcpsim-unit.XXXXXX", base && *base ? base : "/tmp");
    assert_non_null(mkdtemp(tmpl));
    char admin[600], ro[600];
    snprintf(admin, sizeof admin, "%s/admin", tmpl);
    snprintf(ro, sizeof ro, "%s/ro", tmpl);

    sim_server_config cfg = {.listen = "127.0.0.1:0", .fleet = "none", .seed = 1, .tick_ms = 0,
                             .kubeconfig_path = admin, .readonly_kubeconfig_path = ro};
    char err[256] = "";
    sim_server *s = sim_server_start(&cfg, err, sizeof err);
    if (!s)
        fail_msg("start: %s", err);
    const char *url = sim_server_url(s);
    assert_int_equal(strncmp(url, "https://127.0.0.1:", 18), 0);
    int port = atoi(url + 18);
    assert_true(port > 0 && port < 65536);

    const char *kc = sim_server_admin_kubeconfig(s);
    assert_non_null(strstr(kc, "certificate-authority-data: "));
    assert_non_null(strstr(kc, "client-certificate-data: "));
    assert_non_null(strstr(kc, "client-key-data: "));
    assert_non_null(strstr(kc, "- name: hcpsim-token\n"));
    assert_non_null(strstr(kc, "current-context: hcpsim\n"));
    assert_non_null(strstr(kc, url));
    const char *rkc = sim_server_readonly_kubeconfig(s);
    assert_non_null(strstr(rkc, "current-context: hcpsim-readonly\n"));
    assert_null(strstr(rkc, "client-key-data"));
    assert_non_null(strstr(rkc, "    token: "));

    /* the files hold the same texts, private to the user */
    char *file = read_file(admin);
    assert_non_null(file);
    assert_string_equal(file, kc);
    free(file);
    struct stat st;
    assert_int_equal(stat(ro, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);

    /* the port accepts connections */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, "127.0.0.1", &sin.sin_addr);
    assert_int_equal(connect(fd, (struct sockaddr *)&sin, sizeof sin), 0);
    close(fd);
    sim_server_stop(s);
    sim_server_stop(NULL);

    unlink(admin);
    unlink(ro);
    rmdir(tmpl);
}

static void test_bad_configs(void **state)
{
    (void)state;
    char err[256];
    sim_server_config cfg = {.listen = "127.0.0.1", .fleet = "none"};
    assert_null(sim_server_start(&cfg, err, sizeof err));
    assert_non_null(strstr(err, "bad listen address"));
    cfg.listen = "[::1:0";
    assert_null(sim_server_start(&cfg, err, sizeof err));
    assert_non_null(strstr(err, "bad listen address"));
    cfg.listen = "127.0.0.1:70000";
    assert_null(sim_server_start(&cfg, err, sizeof err));
    cfg.listen = "127.0.0.1:0";
    cfg.faults = "reset@2";
    assert_null(sim_server_start(&cfg, err, sizeof err));
    assert_non_null(strstr(err, "faults: reset@2"));
    cfg.faults = NULL;
    cfg.tick_ms = -1;
    assert_null(sim_server_start(&cfg, err, sizeof err));
    cfg.tick_ms = 0;
    cfg.kubeconfig_path = "/nonexistent-dir/for-sure/kubeconfig";
    assert_null(sim_server_start(&cfg, err, sizeof err));
    assert_non_null(strstr(err, "cannot create"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_start_stop),
        cmocka_unit_test(test_bad_configs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
