#include "CSecretctlShims.h"

#include <openssl/crypto.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

int CSecretctlShims_EVP_CIPHER_CTX_set_gcm_iv_length(EVP_CIPHER_CTX *ctx, int length) {
    return EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, length, NULL);
}

int CSecretctlShims_EVP_CIPHER_CTX_get_gcm_tag(EVP_CIPHER_CTX *ctx, uint8_t *tag, int length) {
    return EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, length, tag);
}

int CSecretctlShims_EVP_CIPHER_CTX_set_gcm_tag(EVP_CIPHER_CTX *ctx, const uint8_t *tag, int length) {
    return EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, length, (void *)tag);
}

void CSecretctlShims_OPENSSL_cleanse(uint8_t *pointer, size_t length) {
    OPENSSL_cleanse(pointer, length);
}

int CSecretctlShims_prctl_set_dumpable(int value) {
#ifdef __linux__
    return prctl(PR_SET_DUMPABLE, value, 0, 0, 0);
#else
    (void)value;
    return 0;
#endif
}
