/* The kubeconfig files hcpsim hands out (see httpkubeconfig.h). */
#include "sim/httpkubeconfig.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/secret.h"

/* ---------------------------------------------------------------------------------------------- */
/* kubeconfigs                                                                                     */

static void yaml_cluster(buf *b, const char *url, const sim_pki *pki)
{
    char *ca = sim_base64(pki->ca_cert_pem, strlen(pki->ca_cert_pem));
    buf_printf(b,
               "apiVersion: v1\n"
               "kind: Config\n"
               "clusters:\n"
               "- name: hcpsim\n"
               "  cluster:\n"
               "    server: %s\n"
               "    certificate-authority-data: %s\n",
               url, ca);
    free(ca);
}

char *sim_kubeconfig_admin(const char *url, const sim_pki *pki, const char *token)
{
    buf b = BUF_INIT;
    yaml_cluster(&b, url, pki);
    char *cert = sim_base64(pki->client_cert_pem, strlen(pki->client_cert_pem));
    char *key = sim_base64(pki->client_key_pem, strlen(pki->client_key_pem));
    buf_printf(&b,
               "users:\n"
               "- name: hcpsim-admin\n"
               "  user:\n"
               "    client-certificate-data: %s\n"
               "    client-key-data: %s\n"
               "- name: hcpsim-admin-token\n"
               "  user:\n"
               "    token: %s\n"
               "contexts:\n"
               "- name: hcpsim\n"
               "  context:\n"
               "    cluster: hcpsim\n"
               "    user: hcpsim-admin\n"
               "- name: hcpsim-token\n"
               "  context:\n"
               "    cluster: hcpsim\n"
               "    user: hcpsim-admin-token\n"
               "current-context: hcpsim\n"
               "preferences: {}\n",
               cert, key, token);
    free(cert);
    secret_free(key, 0);
    return buf_steal(&b);
}

char *sim_kubeconfig_readonly(const char *url, const sim_pki *pki, const char *token)
{
    buf b = BUF_INIT;
    yaml_cluster(&b, url, pki);
    buf_printf(&b,
               "users:\n"
               "- name: hcpsim-readonly\n"
               "  user:\n"
               "    token: %s\n"
               "contexts:\n"
               "- name: hcpsim-readonly\n"
               "  context:\n"
               "    cluster: hcpsim\n"
               "    user: hcpsim-readonly\n"
               "current-context: hcpsim-readonly\n"
               "preferences: {}\n",
               token);
    return buf_steal(&b);
}

/* Writes atomically (a temporary file in the same folder, then rename), mode 0600: a reader that
 * waits for the file never sees half of it. */
bool sim_write_private_file(const char *path, const char *text, char *err, size_t errlen)
{
    size_t n = strlen(path);
    char *tmp = xmalloc(n + 16);
    snprintf(tmp, n + 16, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        if (err && errlen)
            snprintf(err, errlen, "cannot create %s: %s", tmp, strerror(errno));
        free(tmp);
        return false;
    }
    size_t len = strlen(text), off = 0;
    bool ok = fchmod(fd, 0600) == 0;
    while (ok && off < len) {
        ssize_t w = write(fd, text + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        ok = w > 0;
        off += w > 0 ? (size_t)w : 0;
    }
    ok = ok && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    if (ok && rename(tmp, path) != 0)
        ok = false;
    if (!ok) {
        if (err && errlen)
            snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        unlink(tmp);
    }
    free(tmp);
    return ok;
}

