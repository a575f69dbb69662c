// A bound on how deep a recursive-descent parser of the local mesh may nest (parentheses, NOTs):
// deeper input is refused instead of exhausting the stack of the thread serving the request. A
// request of 2 KB of parentheses did exhaust it (found by fuzzing the Glue partition filter).
#pragma once

namespace datamesh::local {

inline constexpr int kMaxExpressionNesting = 100;

// Counts one level for as long as it lives.
class Nesting {
 public:
  explicit Nesting(int& depth) : depth_(depth) { ++depth_; }
  ~Nesting() { --depth_; }
  Nesting(const Nesting&) = delete;
  Nesting& operator=(const Nesting&) = delete;
  bool too_deep() const { return depth_ > kMaxExpressionNesting; }

 private:
  int& depth_;
};

}  // namespace datamesh::local
