/* The simulator's throw-away PKI: a CA, a serving certificate for loopback and an admin client
 * certificate, made fresh at every start and kept in memory as PEM (nothing is written to disk
 * except the kubeconfigs that embed them). */
#ifndef HCP_SIM_PKI_H
#define HCP_SIM_PKI_H

#include <stdbool.h>
#include <stddef.h>

/* The CN and O of the admin client certificate: O=system:masters is what a real cluster's
 * cluster-admin certificate carries. */
#define SIM_PKI_ADMIN_CN "hcpsim-admin"
#define SIM_PKI_ADMIN_ORG "system:masters"

typedef struct sim_pki {
    char *ca_cert_pem;
    char *server_cert_pem; /* SANs: 127.0.0.1, ::1, localhost */
    char *server_key_pem;
    char *client_cert_pem; /* CN hcpsim-admin, O system:masters */
    char *client_key_pem;
} sim_pki;

/* Generates the CA and both leaf certificates (EC P-256, SHA-256, valid for a year from an hour
 * ago). false + err when OpenSSL fails; *out is then empty. */
bool sim_pki_generate(sim_pki *out, char *err, size_t errlen);
void sim_pki_free(sim_pki *p);

/* Standard base64 (no line breaks) of len bytes; the caller frees. */
char *sim_base64(const void *data, size_t len);
/* hex_len random hex characters (from the OS CSPRNG) into out[hex_len + 1]; false on failure. */
bool sim_random_hex(char *out, size_t hex_len);

#endif
