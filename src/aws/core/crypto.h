// Hashes and MACs (OpenSSL) in the forms SigV4 and S3 use. All take and return raw bytes.
#pragma once

#include <string>
#include <string_view>

namespace datamesh::aws {

std::string Sha256(std::string_view data);
std::string HmacSha256(std::string_view key, std::string_view data);
std::string Md5(std::string_view data);
// Cryptographically random bytes (session tokens, request ids, access key secrets).
std::string RandomBytes(size_t count);

}  // namespace datamesh::aws
