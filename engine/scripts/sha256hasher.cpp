// SPDX-License-Identifier: MIT
#include "scripts/sha256hasher.h"

#include <openssl/evp.h>

namespace qmigrate {

namespace {

// Fetched once per process: fetching is the expensive part of setting up a digest in OpenSSL 3.
const EVP_MD *sha256Method()
{
    static EVP_MD *const method = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return method;
}

} // namespace

Sha256Hasher::Sha256Hasher()
{
    if (const EVP_MD *method = sha256Method()) {
        m_context = EVP_MD_CTX_new();
        if (m_context && EVP_DigestInit_ex2(m_context, method, nullptr) == 1)
            return;
        EVP_MD_CTX_free(m_context);
        m_context = nullptr;
    }
    m_fallback.emplace(QCryptographicHash::Sha256);
}

Sha256Hasher::~Sha256Hasher()
{
    EVP_MD_CTX_free(m_context);
}

void Sha256Hasher::addData(QByteArrayView data)
{
    if (m_context)
        EVP_DigestUpdate(m_context, data.data(), size_t(data.size()));
    else
        m_fallback->addData(data);
}

Sha256Digest Sha256Hasher::result()
{
    if (!m_context)
        return Sha256Digest::fromBytes(m_fallback->resultView());
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_DigestFinal_ex(m_context, digest, &length) != 1)
        return {};
    return Sha256Digest::fromBytes(QByteArrayView(digest, qsizetype(length)));
}

Sha256Digest Sha256Hasher::hash(QByteArrayView data)
{
    Sha256Hasher hasher;
    hasher.addData(data);
    return hasher.result();
}

} // namespace qmigrate
