#include "local/core/ids.h"

#include "aws/core/crypto.h"
#include "aws/core/encoding.h"

namespace datamesh::local {
namespace {
std::string FromAlphabet(const std::string& alphabet, size_t n) {
  std::string bytes = aws::RandomBytes(n);
  std::string out;
  for (unsigned char b : bytes) out.push_back(alphabet[b % alphabet.size()]);
  return out;
}
}  // namespace

std::string NewAccessKeyId(const std::string& prefix) {
  return prefix + FromAlphabet("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16);
}

std::string NewUniqueId(const std::string& prefix) {
  return prefix + FromAlphabet("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 17);
}

std::string NewSecretAccessKey() {
  return FromAlphabet("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 40);
}

std::string NewSessionToken() { return "IQoJb3JpZ2luX2Vj" + aws::Base64Encode(aws::RandomBytes(180)); }

std::string NewRequestId() {
  std::string h = aws::HexEncode(aws::RandomBytes(16));
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20);
}

}  // namespace datamesh::local
