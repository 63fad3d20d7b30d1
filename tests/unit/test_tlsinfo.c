/* Unit tests for client/tlsinfo: certificate facts, key/certificate matching and CA bundles, from
 * keys and certificates made at run time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "client/tlsinfo.h"
#include "tests/fixtures/kubeconfig/testkit.h"

static void test_cert_facts_and_pairs(void **state)
{
    (void)state;
    EVP_PKEY *ca_key = tk_key(), *key = tk_key(), *other = tk_key();
    X509 *ca = tk_cert(ca_key, NULL, NULL, "test-only-ca", NULL, -60, 86400, 1);
    X509 *cert = tk_cert(key, ca_key, ca, "hcpsim-admin", "system:masters", -60, 7200, 0);
    X509 *old = tk_cert(other, ca_key, ca, "old", NULL, -7200, -3600, 0);
    char *cert_pem = tk_cert_pem(cert), *key_pem = tk_key_pem(key), *other_pem = tk_key_pem(other);
    char *old_pem = tk_cert_pem(old), *ca_pem = tk_cert_pem(ca), *enc_pem = tk_key_pem_encrypted(key);
    time_t now = time(NULL);

    tls_cert_info info;
    char err[256];
    assert_int_equal(tls_cert_read(cert_pem, strlen(cert_pem), &info, err, sizeof err), 0);
    assert_string_equal(info.subject, "CN=hcpsim-admin,O=system:masters");
    assert_true(info.not_after >= now + 7200 - 5 && info.not_after <= now + 7200 + 5);
    assert_true(info.not_before <= now);
    assert_false(tls_cert_expired(&info, now));
    assert_true(tls_cert_expired(&info, info.not_after));

    assert_int_equal(tls_check_client_pair(cert_pem, strlen(cert_pem), key_pem, strlen(key_pem), &info, err, sizeof err), 0);
    assert_string_equal(info.subject, "CN=hcpsim-admin,O=system:masters");
    assert_int_equal(tls_check_client_pair(cert_pem, strlen(cert_pem), key_pem, strlen(key_pem), NULL, err, sizeof err), 0);
    assert_int_equal(tls_check_client_pair(cert_pem, strlen(cert_pem), other_pem, strlen(other_pem), &info, err, sizeof err), -1);
    assert_string_equal(err, "client key does not match the client certificate");
    assert_int_equal(tls_check_client_pair(cert_pem, strlen(cert_pem), enc_pem, strlen(enc_pem), &info, err, sizeof err), -1);
    assert_string_equal(err, "client key is encrypted (pass phrases are not supported)");
    assert_int_equal(tls_check_client_pair(cert_pem, strlen(cert_pem), cert_pem, strlen(cert_pem), &info, err, sizeof err), -1);
    assert_string_equal(err, "client key holds no PEM private key");
    assert_int_equal(tls_check_client_pair(key_pem, strlen(key_pem), key_pem, strlen(key_pem), &info, err, sizeof err), -1);
    assert_string_equal(err, "client certificate holds no PEM certificate");
    assert_int_equal(tls_check_client_pair(cert_pem, strlen(cert_pem), "", 0, &info, err, sizeof err), -1);
    assert_string_equal(err, "client key is empty");
    /* Truncated PEM and a certificate cut short inside its base64. */
    assert_int_equal(tls_cert_read(cert_pem, strlen(cert_pem) / 2, &info, err, sizeof err), -1);
    assert_null(strstr(err, "BEGIN"));

    /* Expired certificates are read (the console reports the expiry). */
    assert_int_equal(tls_cert_read(old_pem, strlen(old_pem), &info, err, sizeof err), 0);
    assert_true(tls_cert_expired(&info, now));
    assert_string_equal(info.subject, "CN=old");

    /* A length that excludes the NUL: the blob is length-delimited. */
    char *doubled = NULL;
    if (asprintf(&doubled, "%s%s", ca_pem, cert_pem) < 0)
        abort();
    size_t count = 0;
    assert_int_equal(tls_ca_bundle_count(doubled, strlen(doubled), &count, err, sizeof err), 0);
    assert_int_equal(count, 2);
    assert_int_equal(tls_ca_bundle_count(ca_pem, strlen(ca_pem), &count, err, sizeof err), 0);
    assert_int_equal(count, 1);

    free(doubled);
    free(cert_pem), free(key_pem), free(other_pem), free(old_pem), free(ca_pem), free(enc_pem);
    X509_free(ca), X509_free(cert), X509_free(old);
    EVP_PKEY_free(ca_key), EVP_PKEY_free(key), EVP_PKEY_free(other);
}

static void test_ca_bundle_problems(void **state)
{
    (void)state;
    size_t count = 7;
    char err[256];
    assert_int_equal(tls_ca_bundle_count("", 0, &count, err, sizeof err), -1);
    assert_string_equal(err, "is empty");
    assert_int_equal(count, 0);
    const char *text = "just some text\nwithout certificates\n";
    assert_int_equal(tls_ca_bundle_count(text, strlen(text), &count, err, sizeof err), -1);
    assert_string_equal(err, "holds no certificate");
    const char *broken = "-----BEGIN CERTIFICATE-----\nnot*base64\n-----END CERTIFICATE-----\n";
    assert_int_equal(tls_ca_bundle_count(broken, strlen(broken), &count, err, sizeof err), -1);
    /* NUL bytes and binary junk. */
    const char junk[] = "\0\1\2\3-----BEGIN\0CERTIFICATE-----";
    assert_int_equal(tls_ca_bundle_count(junk, sizeof junk, &count, err, sizeof err), -1);
    tls_cert_info info;
    assert_int_equal(tls_cert_read(junk, sizeof junk, &info, err, sizeof err), -1);
    assert_string_equal(err, "holds no PEM certificate");
    assert_int_equal(tls_cert_read(NULL, 0, &info, err, sizeof err), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cert_facts_and_pairs),
        cmocka_unit_test(test_ca_bundle_problems),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
