// Byte and text encodings used on the AWS wire: hex, base64, percent-encoding.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace datamesh::aws {

std::string HexEncode(std::string_view bytes);

std::string Base64Encode(std::string_view bytes);
// std::nullopt when `text` is not valid base64.
std::optional<std::string> Base64Decode(std::string_view text);

// RFC 3986 percent-encoding: every byte except the unreserved set A-Z a-z 0-9 - _ . ~ becomes
// %XX (upper-case hex); characters in `also_safe` (e.g. "/") are kept as they are.
std::string UriEncode(std::string_view text, std::string_view also_safe = {});

// Decodes %XX sequences; with `plus_is_space`, '+' becomes ' ' (form encoding).
// Malformed escapes are kept literally, as servers commonly do.
std::string UriDecode(std::string_view text, bool plus_is_space = false);

bool IsUnreserved(unsigned char c);

}  // namespace datamesh::aws
