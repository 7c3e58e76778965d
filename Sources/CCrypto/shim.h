// The system's OpenSSL libcrypto (Debian: libssl-dev), for ansible-vault's AES256 format:
// PBKDF2-HMAC-SHA256, HMAC-SHA256, AES-256-CTR and a constant-time comparison.
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
