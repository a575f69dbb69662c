#include "cli/query/lexer.h"

#include <limits>

#include "cli/query/ast.h"
#include "cli/query/errors.h"

namespace datamesh::cli::query {
namespace {

bool IsIdentifierStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool IsIdentifierChar(char c) { return IsIdentifierStart(c) || (c >= '0' && c <= '9'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// The length of the UTF-8 sequence a lead byte starts, or 0 if it cannot start one.
size_t SequenceLength(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead & 0xE0) == 0xC0) return 2;
  if ((lead & 0xF0) == 0xE0) return 3;
  if ((lead & 0xF8) == 0xF0) return 4;
  return 0;
}

// Whether `text` is well-formed UTF-8. Checked up front because raw strings copy bytes of the
// expression into results, and nlohmann refuses to serialize malformed strings.
bool IsValidUtf8(const std::string& text) {
  static constexpr uint32_t kLeadBits[] = {0, 0x7F, 0x1F, 0x0F, 0x07};
  static constexpr uint32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
  for (size_t i = 0; i < text.size();) {
    size_t length = SequenceLength(static_cast<unsigned char>(text[i]));
    if (length == 0 || text.size() - i < length) return false;
    uint32_t cp = static_cast<unsigned char>(text[i]) & kLeadBits[length];
    for (size_t k = 1; k < length; ++k) {
      unsigned char next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (next & 0x3F);
    }
    // Overlong forms, surrogates and values beyond Unicode are not UTF-8 either.
    if (cp < kSmallest[length] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += length;
  }
  return true;
}

// nlohmann parses any depth without recursion, but copying, comparing and printing a value
// recurse; a literal nested deeper than expressions may be is refused like one.
nlohmann::json ParseJson(const std::string& text, bool& too_deep) {
  auto watch_depth = [&too_deep](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
    if (depth > kMaxNesting) too_deep = true;
    return true;
  };
  return nlohmann::json::parse(text, watch_depth, false);
}

class Lexer {
 public:
  explicit Lexer(const std::string& text) : text_(text) {}

  Outcome<std::vector<Token>> Run() {
    if (!IsValidUtf8(text_)) return SyntaxError(text_, 0, "the expression is not valid UTF-8");
    std::vector<Token> tokens;
    while (true) {
      while (pos_ < text_.size() && IsBlank(text_[pos_])) ++pos_;
      Token token;
      token.offset = pos_;
      if (pos_ == text_.size()) {
        tokens.push_back(token);
        return tokens;
      }
      auto status = Next(token);
      if (!status.ok()) return status.error();
      token.length = pos_ - token.offset;
      tokens.push_back(std::move(token));
    }
  }

 private:
  char At(size_t i) const { return i < text_.size() ? text_[i] : '\0'; }

  // Reads the token starting at pos_ into `token` and moves past it.
  Status Next(Token& token) {
    char c = text_[pos_];
    if (IsIdentifierStart(c)) return Identifier(token);
    if (IsDigit(c) || c == '-') return Number(token);
    if (c == '"') return QuotedIdentifier(token);
    if (c == '\'') return RawString(token);
    if (c == '`') return JsonLiteral(token);
    if (Operator(token)) return OkStatus();
    if (c == '=') return SyntaxError(text_, pos_, "'=' is not an operator; did you mean '=='?");
    return SyntaxError(text_, pos_, "unexpected character '" + CharacterAt(pos_) + "'");
  }

  // The whole UTF-8 character at byte `offset`, for error messages.
  std::string CharacterAt(size_t offset) const {
    size_t end = offset + 1;
    while (end < text_.size() && (static_cast<unsigned char>(text_[end]) & 0xC0) == 0x80) ++end;
    return text_.substr(offset, end - offset);
  }

  // Punctuation, where the longest match wins ("||" over "|", "[?" over "[").
  bool Operator(Token& token) {
    struct Spelling {
      const char* text;
      TokenType type;
    };
    static constexpr Spelling kOperators[] = {
        {"[]", TokenType::kFlatten},     {"[?", TokenType::kFilter},
        {"||", TokenType::kOr},          {"&&", TokenType::kAnd},
        {"==", TokenType::kEqual},       {"!=", TokenType::kNotEqual},
        {"<=", TokenType::kLessOrEqual}, {">=", TokenType::kGreaterOrEqual},
        {".", TokenType::kDot},          {"*", TokenType::kStar},
        {",", TokenType::kComma},        {":", TokenType::kColon},
        {"@", TokenType::kCurrent},      {"(", TokenType::kLparen},
        {")", TokenType::kRparen},       {"{", TokenType::kLbrace},
        {"}", TokenType::kRbrace},       {"[", TokenType::kLbracket},
        {"]", TokenType::kRbracket},     {"|", TokenType::kPipe},
        {"&", TokenType::kExpref},       {"!", TokenType::kNot},
        {"<", TokenType::kLess},         {">", TokenType::kGreater},
    };
    for (const Spelling& op : kOperators) {
      size_t n = std::char_traits<char>::length(op.text);
      if (text_.compare(pos_, n, op.text) == 0) {
        token.type = op.type;
        pos_ += n;
        return true;
      }
    }
    return false;
  }

  Status Identifier(Token& token) {
    size_t end = pos_;
    while (end < text_.size() && IsIdentifierChar(text_[end])) ++end;
    token.type = TokenType::kUnquotedIdentifier;
    token.name = text_.substr(pos_, end - pos_);
    pos_ = end;
    return OkStatus();
  }

  // -?[0-9]+, saturating: an index beyond the int64 range is out of range of any array anyway,
  // and a slice bound beyond it clamps to the same place.
  Status Number(Token& token) {
    size_t i = pos_;
    bool negative = text_[i] == '-';
    if (negative) ++i;
    if (!IsDigit(At(i))) return SyntaxError(text_, pos_, "expected a digit after '-'");
    int64_t value = 0;
    constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
    for (; IsDigit(At(i)); ++i) {
      int digit = text_[i] - '0';
      value = value > (kMax - digit) / 10 ? kMax : value * 10 + digit;
    }
    token.type = TokenType::kNumber;
    token.number = negative ? -value : value;
    pos_ = i;
    return OkStatus();
  }

  // The text up to the next unescaped `delimiter`, with escapes left as written (a backslash
  // always escapes the next character here); pos_ ends after the delimiter.
  Outcome<std::string> Delimited(char delimiter, const char* what) {
    size_t start = pos_;
    size_t i = pos_ + 1;
    std::string body;
    while (i < text_.size() && text_[i] != delimiter) {
      if (text_[i] == '\\' && i + 1 < text_.size()) body += text_[i++];
      body += text_[i++];
    }
    if (i >= text_.size()) return SyntaxError(text_, start, std::string("unterminated ") + what);
    pos_ = i + 1;
    return body;
  }

  // `body` with each backslash-escaped `quote` replaced by the quote alone; every other
  // backslash stays (raw strings keep "\n" as two characters).
  static std::string Unescape(const std::string& body, char quote) {
    std::string out;
    for (size_t i = 0; i < body.size(); ++i) {
      if (body[i] == '\\' && i + 1 < body.size()) {
        if (body[i + 1] != quote) out += '\\';
        out += body[++i];
      } else {
        out += body[i];
      }
    }
    return out;
  }

  // "..." is a JSON string: escapes as JSON has them, e.g. "\u00e9" or "\"".
  Status QuotedIdentifier(Token& token) {
    size_t start = pos_;
    auto body = Delimited('"', "quoted identifier");
    if (!body.ok()) return body.error();
    auto parsed = nlohmann::json::parse("\"" + *body + "\"", nullptr, false);
    if (!parsed.is_string()) {
      return SyntaxError(text_, start, "invalid escape or control character in quoted identifier");
    }
    token.type = TokenType::kQuotedIdentifier;
    token.name = parsed.get_ref<const std::string&>();
    return OkStatus();
  }

  // '...' is a string taken as written, except that \' stands for a quote.
  Status RawString(Token& token) {
    auto body = Delimited('\'', "raw string");
    if (!body.ok()) return body.error();
    token.type = TokenType::kLiteral;
    token.literal = Unescape(*body, '\'');
    return OkStatus();
  }

  // `...` is JSON, with \` standing for a backtick. Text that is not JSON is read as the body of
  // a JSON string, the deprecated form (`foo` for "foo") the AWS CLI still accepts.
  Status JsonLiteral(Token& token) {
    size_t start = pos_;
    auto body = Delimited('`', "JSON literal");
    if (!body.ok()) return body.error();
    std::string json = Unescape(*body, '`');
    token.type = TokenType::kLiteral;
    bool too_deep = false;
    token.literal = ParseJson(json, too_deep);
    if (too_deep) {
      return SyntaxError(
          text_, start,
          "JSON literal nested more than " + std::to_string(kMaxNesting) + " levels deep");
    }
    if (!token.literal.is_discarded()) return OkStatus();
    size_t first = json.find_first_not_of(" \t\n\r\f\v");
    token.literal = nlohmann::json::parse(
        "\"" + (first == std::string::npos ? std::string() : json.substr(first)) + "\"", nullptr,
        false);
    if (token.literal.is_string()) return OkStatus();
    return SyntaxError(text_, start, "invalid JSON in literal");
  }

  const std::string& text_;
  size_t pos_ = 0;
};

}  // namespace

Outcome<std::vector<Token>> Tokenize(const std::string& text) { return Lexer(text).Run(); }

}  // namespace datamesh::cli::query
