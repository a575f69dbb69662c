#include "local/dynamodb/ddb_number.h"

#include <algorithm>

namespace datamesh::local::ddb {
namespace {

constexpr size_t kMaxDigits = 38;
constexpr int kMaxMagnitude = 126;   // |x| < 1E+126
constexpr int kMinMagnitude = -130;  // |x| >= 1E-130

Error Invalid(const std::string& message) {
  return Error("ValidationException", message, ErrorKind::kClient, 400);
}

// Adds two non-negative digit strings of equal length alignment (same exponent).
std::string AddDigits(const std::string& a, const std::string& b) {
  std::string out;
  int carry = 0;
  for (size_t i = 0; i < std::max(a.size(), b.size()) || carry; ++i) {
    int da = i < a.size() ? a[a.size() - 1 - i] - '0' : 0;
    int db = i < b.size() ? b[b.size() - 1 - i] - '0' : 0;
    int s = da + db + carry;
    out.push_back(static_cast<char>('0' + s % 10));
    carry = s / 10;
  }
  std::reverse(out.begin(), out.end());
  return out;
}

// a - b for a >= b.
std::string SubtractDigits(const std::string& a, const std::string& b) {
  std::string out;
  int borrow = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    int da = a[a.size() - 1 - i] - '0' - borrow;
    int db = i < b.size() ? b[b.size() - 1 - i] - '0' : 0;
    borrow = da < db;
    out.push_back(static_cast<char>('0' + (da - db + (borrow ? 10 : 0))));
  }
  std::reverse(out.begin(), out.end());
  return out;
}

int CompareDigits(const std::string& a, const std::string& b) {
  std::string x = a.substr(std::min(a.find_first_not_of('0'), a.size()));
  std::string y = b.substr(std::min(b.find_first_not_of('0'), b.size()));
  if (x.size() != y.size()) return x.size() < y.size() ? -1 : 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

}  // namespace

Outcome<Number> Number::Make(bool negative, std::string digits, int exponent) {
  size_t first = digits.find_first_not_of('0');
  if (first == std::string::npos) return Number();
  digits.erase(0, first);
  while (!digits.empty() && digits.back() == '0') {
    digits.pop_back();
    ++exponent;
  }
  if (digits.size() > kMaxDigits) {
    return Invalid("Attempting to store more than 38 significant digits in a Number");
  }
  int magnitude = static_cast<int>(digits.size()) + exponent;  // x < 10^magnitude
  if (magnitude > kMaxMagnitude) {
    return Invalid("Number overflow. Attempting to store a number with magnitude larger than supported range");
  }
  if (magnitude - 1 < kMinMagnitude) {
    return Invalid("Number underflow. Attempting to store a number with magnitude smaller than supported range");
  }
  Number n;
  n.negative_ = negative;
  n.digits_ = std::move(digits);
  n.exponent_ = exponent;
  return n;
}

std::string Number::OrderedBytes() const {
  if (digits_.empty()) return std::string(1, '\x80');
  // value = 0.d1d2... x 10^magnitude; a larger magnitude is a larger absolute value, and with equal
  // magnitudes the digit strings (no trailing zeros) compare as the values do.
  const int magnitude = static_cast<int>(digits_.size()) + exponent_;
  const unsigned biased = static_cast<unsigned>(magnitude + 1000);
  std::string out;
  if (!negative_) {
    out.push_back('\x81');
    out.push_back(static_cast<char>(biased >> 8));
    out.push_back(static_cast<char>(biased & 0xff));
    out += digits_;
    return out;
  }
  // Negative: everything inverted, and a terminator above every digit so that a longer digit
  // string (a larger absolute value) sorts first.
  out.push_back('\x7f');
  out.push_back(static_cast<char>(~biased >> 8 & 0xff));
  out.push_back(static_cast<char>(~biased & 0xff));
  for (char d : digits_) out.push_back(static_cast<char>('9' - d + '0'));
  out.push_back('\xff');
  return out;
}

Outcome<Number> Number::Parse(const std::string& text) {
  auto bad = [&] { return Invalid("The parameter cannot be converted to a numeric value: " + text); };
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  std::string digits;
  int exponent = 0;
  bool any = false, point = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
      any = true;
      if (point) --exponent;
    } else if (c == '.' && !point) {
      point = true;
    } else {
      break;
    }
  }
  if (!any) return bad();
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool exp_negative = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) exp_negative = text[i++] == '-';
    if (i >= text.size()) return bad();
    long long e = 0;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      e = e * 10 + (text[i] - '0');
      if (e > 100000) return bad();
    }
    exponent += static_cast<int>(exp_negative ? -e : e);
  }
  if (i != text.size()) return bad();
  return Make(negative, digits, exponent);
}

std::string Number::ToString() const {
  if (digits_.empty()) return "0";
  std::string out = negative_ ? "-" : "";
  if (exponent_ >= 0) return out + digits_ + std::string(exponent_, '0');
  int point = static_cast<int>(digits_.size()) + exponent_;
  if (point > 0) return out + digits_.substr(0, point) + "." + digits_.substr(point);
  return out + "0." + std::string(-point, '0') + digits_;
}

int Number::Compare(const Number& o) const {
  bool zero = digits_.empty(), other_zero = o.digits_.empty();
  if (zero && other_zero) return 0;
  int sign = zero ? 0 : (negative_ ? -1 : 1);
  int other_sign = other_zero ? 0 : (o.negative_ ? -1 : 1);
  if (sign != other_sign) return sign < other_sign ? -1 : 1;
  // Same sign: compare magnitudes by aligning exponents.
  int common = std::min(exponent_, o.exponent_);
  std::string a = digits_ + std::string(exponent_ - common, '0');
  std::string b = o.digits_ + std::string(o.exponent_ - common, '0');
  int magnitude = CompareDigits(a, b);
  return sign >= 0 ? magnitude : -magnitude;
}

Outcome<Number> Number::Add(const Number& o) const {
  if (digits_.empty()) return o;
  if (o.digits_.empty()) return *this;
  int common = std::min(exponent_, o.exponent_);
  if (std::max(exponent_, o.exponent_) - common > 400) {
    return Invalid("Number overflow. Attempting to store a number with magnitude larger than supported range");
  }
  std::string a = digits_ + std::string(exponent_ - common, '0');
  std::string b = o.digits_ + std::string(o.exponent_ - common, '0');
  if (negative_ == o.negative_) return Make(negative_, AddDigits(a, b), common);
  int c = CompareDigits(a, b);
  if (c == 0) return Number();
  return c > 0 ? Make(negative_, SubtractDigits(a, b), common) : Make(o.negative_, SubtractDigits(b, a), common);
}

Outcome<Number> Number::Subtract(const Number& o) const {
  Number negated = o;
  if (!negated.digits_.empty()) negated.negative_ = !negated.negative_;
  return Add(negated);
}

}  // namespace datamesh::local::ddb
