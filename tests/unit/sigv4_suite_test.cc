// Runs every case of the public SigV4 test suite (shared/testdata/sigv4, from aws-c-auth): the
// canonical request, string to sign, signature and signed request of both header and presigned
// (query) signing must match the expected files byte for byte.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "aws/auth/sigv4_signer.h"
#include "aws/core/time_format.h"

namespace datamesh::aws {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Parses request.txt: request line, header lines (indented lines continue the previous value),
// a blank line, then the body.
HttpRequest ParseRequestFile(const std::string& text) {
  HttpRequest req;
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);
  size_t sp = line.find(' ');
  size_t http = line.rfind(" HTTP/");
  req.method = line.substr(0, sp);
  std::string target = line.substr(sp + 1, http - sp - 1);
  size_t q = target.find('?');
  req.path = target.substr(0, q);
  if (q != std::string::npos) req.query = ParseQueryString(target.substr(q + 1));
  std::vector<std::pair<std::string, std::string>> fields;
  while (std::getline(in, line)) {
    if (line.empty()) break;
    if ((line[0] == ' ' || line[0] == '\t') && !fields.empty()) {
      fields.back().second += "\n" + line;
      continue;
    }
    size_t colon = line.find(':');
    fields.emplace_back(line.substr(0, colon), line.substr(colon + 1));
  }
  for (auto& [n, v] : fields) req.headers.Add(n, v);
  std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  req.body = body;
  req.endpoint.host = req.headers.Get("Host").value_or("");
  return req;
}

struct SuiteCase {
  std::string name;
  fs::path dir;
};

// Names the case in test output instead of dumping its bytes.
void PrintTo(const SuiteCase& c, std::ostream* os) { *os << c.name; }

std::vector<SuiteCase> LoadCases() {
  std::vector<SuiteCase> cases;
  // A missing folder must not abort test discovery: FindsTheTestData below fails and names it.
  std::error_code missing;
  for (const auto& entry : fs::directory_iterator(SIGV4_TESTDATA_DIR, missing)) {
    if (entry.is_directory() && fs::exists(entry.path() / "context.json")) {
      cases.push_back({entry.path().filename().string(), entry.path()});
    }
  }
  std::sort(cases.begin(), cases.end(), [](auto& a, auto& b) { return a.name < b.name; });
  return cases;
}

class SigV4SuiteTest : public ::testing::TestWithParam<SuiteCase> {
 protected:
  void SetUp() override {
    const auto& dir = GetParam().dir;
    auto ctx = nlohmann::json::parse(ReadFile(dir / "context.json"));
    creds_.access_key_id = ctx["credentials"]["access_key_id"];
    creds_.secret_access_key = ctx["credentials"]["secret_access_key"];
    creds_.session_token = ctx["credentials"].value("token", "");
    options_.region = ctx["region"];
    options_.service = ctx["service"];
    options_.time = *ParseIso8601(ctx["timestamp"].get<std::string>());
    options_.normalize_path = ctx.value("normalize", true);
    options_.add_content_sha256_header = ctx.value("sign_body", false);
    options_.omit_session_token = ctx.value("omit_session_token", false);
    options_.expires = std::chrono::seconds(ctx.value("expiration_in_seconds", 3600));
    request_ = ParseRequestFile(ReadFile(dir / "request.txt"));
  }

  std::string Expected(const std::string& file) { return ReadFile(GetParam().dir / file); }

  Credentials creds_;
  SigningOptions options_;
  HttpRequest request_;
};

TEST_P(SigV4SuiteTest, HeaderSigningMatchesExpectedFiles) {
  HttpRequest req = request_;
  SigningResult r = SignRequestHeaders(req, creds_, options_);
  EXPECT_EQ(r.canonical_request, Expected("header-canonical-request.txt"));
  EXPECT_EQ(r.string_to_sign, Expected("header-string-to-sign.txt"));
  EXPECT_EQ(r.signature, Expected("header-signature.txt"));
  HttpRequest expected = ParseRequestFile(Expected("header-signed-request.txt"));
  EXPECT_EQ(req.headers.Get("Authorization"), expected.headers.Get("Authorization"));
  EXPECT_EQ(req.headers.Get("X-Amz-Security-Token"), expected.headers.Get("X-Amz-Security-Token"));
}

TEST_P(SigV4SuiteTest, PresigningMatchesExpectedFiles) {
  if (!std::filesystem::exists(GetParam().dir / "query-signature.txt")) GTEST_SKIP();
  HttpRequest req = request_;
  SigningResult r = PresignRequest(req, creds_, options_);
  EXPECT_EQ(r.canonical_request, Expected("query-canonical-request.txt"));
  EXPECT_EQ(r.string_to_sign, Expected("query-string-to-sign.txt"));
  EXPECT_EQ(r.signature, Expected("query-signature.txt"));
  HttpRequest expected = ParseRequestFile(Expected("query-signed-request.txt"));
  auto sorted = [](QueryParams q) { std::sort(q.begin(), q.end()); return q; };
  EXPECT_EQ(sorted(req.query), sorted(expected.query));
}

INSTANTIATE_TEST_SUITE_P(AwsSigningTestSuite, SigV4SuiteTest, ::testing::ValuesIn(LoadCases()),
                         [](const auto& info) {
                           std::string n = info.param.name;
                           std::replace(n.begin(), n.end(), '-', '_');
                           return n;
                         });

TEST(SigV4SuiteTest, FindsTheTestData) { EXPECT_GE(LoadCases().size(), 30u) << "no SigV4 cases in " << SIGV4_TESTDATA_DIR; }

}  // namespace
}  // namespace datamesh::aws
