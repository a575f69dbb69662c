// DynamoDB's Number: an exact decimal of up to 38 significant digits, magnitude between 1E-130
// and 1E+126 (or zero). Parsed from and written as text, compared and added without rounding.
#pragma once

#include <string>

#include "datamesh/outcome.h"

namespace datamesh::local::ddb {

class Number {
 public:
  // An error (ValidationException) names what is wrong with `text`.
  static Outcome<Number> Parse(const std::string& text);

  // The canonical text DynamoDB answers with: no exponent, no leading or trailing zeros.
  std::string ToString() const;

  // Bytes whose unsigned lexicographic order is the numbers' order, for keeping sort keys in an
  // ordered index: a sign byte, the magnitude (inverted for negatives), then the digits.
  std::string OrderedBytes() const;

  // -1, 0 or 1.
  int Compare(const Number& other) const;
  bool operator==(const Number& o) const { return Compare(o) == 0; }

  // Exact sum / difference; an error when the result needs more than 38 digits or leaves the range.
  Outcome<Number> Add(const Number& other) const;
  Outcome<Number> Subtract(const Number& other) const;

 private:
  static Outcome<Number> Make(bool negative, std::string digits, int exponent);
  bool negative_ = false;
  std::string digits_;  // significant digits, no leading or trailing zeros; empty for zero
  int exponent_ = 0;    // value = digits × 10^exponent
};

}  // namespace datamesh::local::ddb
