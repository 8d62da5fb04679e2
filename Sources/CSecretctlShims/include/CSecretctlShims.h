#ifndef CSECRETCTL_SHIMS_H
#define CSECRETCTL_SHIMS_H

#include <stddef.h>
#include <stdint.h>
#include <openssl/evp.h>

// One-line forwarders only: each exists because the OpenSSL call it wraps
// takes a macro argument or a `void *` that Swift cannot name cleanly.

/// EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, length, NULL)
int CSecretctlShims_EVP_CIPHER_CTX_set_gcm_iv_length(EVP_CIPHER_CTX *ctx, int length);

/// EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, length, tag)
int CSecretctlShims_EVP_CIPHER_CTX_get_gcm_tag(EVP_CIPHER_CTX *ctx, uint8_t *tag, int length);

/// EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, length, (void *)tag)
int CSecretctlShims_EVP_CIPHER_CTX_set_gcm_tag(EVP_CIPHER_CTX *ctx, const uint8_t *tag, int length);

/// OPENSSL_cleanse(pointer, length): a macro-free name with a byte pointer.
void CSecretctlShims_OPENSSL_cleanse(uint8_t *pointer, size_t length);

/// prctl(PR_SET_DUMPABLE, value): the option is a macro from <sys/prctl.h>.
int CSecretctlShims_prctl_set_dumpable(int value);

#endif
