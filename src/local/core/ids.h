// Identifiers in the forms AWS uses: access keys (AKIA.../ASIA...), unique ids (AIDA..., AROA...,
// AGPA..., ANPA...), secrets, session tokens, request ids.
#pragma once

#include <string>

namespace datamesh::local {

// prefix + 16 characters of [A-Z2-7]: "AKIA", "ASIA", ... (20 characters in all).
std::string NewAccessKeyId(const std::string& prefix);
// prefix + 17 characters of [A-Z0-9]: "AIDA", "AROA", "AGPA", "ANPA", "APKA".
std::string NewUniqueId(const std::string& prefix);
std::string NewSecretAccessKey();  // 40 characters
std::string NewSessionToken();     // opaque, long, base64
std::string NewRequestId();        // 8-4-4-4-12 hex

}  // namespace datamesh::local
