// Splits a fuzzer's bytes into the fields a target needs: a selector byte, then strings each
// prefixed by a length byte, the last one taking what is left. Every input decodes to something,
// so the fuzzer explores the parsers rather than the decoding.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

namespace datamesh::fuzz {

class FuzzInput {
 public:
  FuzzInput(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  uint8_t Byte() { return at_ < size_ ? data_[at_++] : 0; }
  // A string of up to 255 bytes (its length first).
  std::string Field() {
    size_t n = Byte();
    n = std::min(n, size_ - at_);
    std::string out(reinterpret_cast<const char*>(data_ + at_), n);
    at_ += n;
    return out;
  }
  // Everything not read yet.
  std::string Rest() {
    std::string out(reinterpret_cast<const char*>(data_ + at_), size_ - at_);
    at_ = size_;
    return out;
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t at_ = 0;
};

}  // namespace datamesh::fuzz
