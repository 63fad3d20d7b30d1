/* Noticing that the kubeconfig changed on disk: a console left running for days must pick up a
 * rotated CA or new credentials by itself (a restarted server with a new CA would otherwise stay
 * "certificate not trusted" until :ctx). A fingerprint of the files kubectl would read (--kubeconfig,
 * else each file of KUBECONFIG, else ~/.kube/config): their paths, sizes and modification times. */
#ifndef HCP_TUI_KCWATCH_H
#define HCP_TUI_KCWATCH_H

#include <stdint.h>

/* explicit_path: --kubeconfig, or NULL (then KUBECONFIG and HOME from the environment). */
uint64_t kubeconfig_fingerprint(const char *explicit_path);

#endif
