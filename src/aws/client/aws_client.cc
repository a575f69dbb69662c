#include "aws/client/aws_client.h"

#include <spdlog/spdlog.h>

#include <cstdlib>

#include "aws/auth/sigv4_signer.h"
#include "aws/core/time_format.h"
#include "aws/http/wire_log.h"
#include "aws/iam/iam_policy_documents.h"
#include "aws/protocol/param_validator.h"

namespace datamesh::aws {
namespace {

constexpr long long kSkewThresholdMs = 4 * 60 * 1000;

// Bucket names that can be a DNS label under TLS (no dots), for virtual-hosted addressing.
bool IsVirtualHostableBucket(const std::string& bucket) {
  if (bucket.size() < 3 || bucket.size() > 63) return false;
  for (char c : bucket) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return bucket.front() != '-' && bucket.back() != '-';
}

Json AsList(const Json& v) { return v.is_array() ? v : Json::array({v}); }

}  // namespace

AwsClient::AwsClient(ClientSettings settings)
    : settings_(std::move(settings)),
      model_(ServiceModel::Get(settings_.service)),
      codec_(model_ ? ProtocolCodec::For(model_->protocol()) : nullptr) {}

Outcome<HttpRequest> AwsClient::BuildRequest(const std::string& operation, const Json& input) const {
  if (!model_ || !codec_) return Error::Local("UnknownService", "no model for service " + settings_.service);
  const Json* op = model_->FindOperation(operation);
  if (!op) return Error::Local("UnknownOperation", settings_.service + " has no operation " + operation);
  if (auto s = ValidateInput(*model_, model_->InputShape(*op), input); !s.ok()) {
    return Error::Local(s.error().code(), settings_.service + "." + operation + ": " + s.error().message());
  }
  auto request = codec_->SerializeRequest(*model_, operation, input);
  if (!request.ok()) return request;
  request->endpoint = settings_.endpoint;
  if (settings_.service == "s3" && !settings_.endpoint_overridden && input.contains("Bucket")) {
    const std::string bucket = input["Bucket"];
    const std::string prefix = "/" + bucket;
    if (IsVirtualHostableBucket(bucket) && request->path.rfind(prefix, 0) == 0) {
      request->endpoint.host.insert(0, bucket + ".");
      request->path.erase(0, prefix.size());
      if (request->path.empty()) request->path = "/";
    }
  }
  request->headers.Set("User-Agent", std::string("datamesh/") + DATAMESH_VERSION);
  return request;
}

void AwsClient::Sign(HttpRequest& request, const Credentials& credentials) const {
  SigningOptions options;
  options.region = settings_.signing_region;
  options.service = model_->signing_name();
  options.time = settings_.clock->Now() + Millis(skew_ms_.load());
  if (settings_.service == "s3") {
    options.normalize_path = false;
    options.double_encode_path = false;
    options.add_content_sha256_header = true;
  }
  SignRequestHeaders(request, credentials, options);
}

bool AwsClient::UpdateClockSkew(const HttpResponse& response) {
  auto date = response.headers.Get("Date");
  if (!date) return false;
  auto server = ParseHttpDate(*date);
  if (!server) return false;
  long long skew = std::chrono::duration_cast<Millis>(*server - settings_.clock->Now()).count();
  long long next = std::llabs(skew) > kSkewThresholdMs ? skew : 0;
  long long previous = skew_ms_.exchange(next);
  return std::llabs(next - previous) > kSkewThresholdMs;
}

Outcome<Json> AwsClient::Call(const std::string& operation, const Json& input_json) {
  const Json input = input_json.is_null() ? Json::object() : input_json;
  auto built = BuildRequest(operation, input);
  if (!built.ok()) return Error(built.error()).set_operation(operation);
  const std::string name = settings_.service + "." + operation;
  RetryStrategy& retry = *settings_.retry;
  int cost_taken = 0;
  for (int attempt = 1;; ++attempt) {
    auto credentials = settings_.credentials->GetCredentials();
    if (!credentials.ok()) return credentials.error();
    HttpRequest request = *built;
    Sign(request, *credentials);

    retry.BeforeAttempt();
    auto started = std::chrono::steady_clock::now();
    LogWireRequest(name, request);
    auto response = settings_.transport->Send(request);
    if (response.ok()) LogWireResponse(name, *response);
    auto took = std::chrono::duration_cast<Millis>(std::chrono::steady_clock::now() - started).count();

    Error error;
    bool skew_corrected = false;
    if (response.ok()) {
      spdlog::debug("{} attempt {}: HTTP {} in {} ms", name, attempt, response->status, took);
      if (response->status >= 200 && response->status < 300) {
        retry.AfterAttempt(false);
        retry.OnSuccess(cost_taken);
        auto output = codec_->ParseResponse(*model_, operation, *response);
        if (output.ok() && settings_.service == "iam") {
          DecodeIamPolicyDocuments(*model_, model_->OutputShape(*model_->FindOperation(operation)), *output);
        }
        if (settings_.observer) settings_.observer(settings_.service, operation, input, output.ok() ? nullptr : &output.error());
        return output;
      }
      error = codec_->ParseError(*response);
      skew_corrected = UpdateClockSkew(*response);
    } else {
      error = response.error();
      spdlog::debug("{} attempt {}: {} after {} ms", name, attempt, error.ToString(), took);
    }

    retry.AfterAttempt(error.throttling());
    bool again = false;
    if (error.kind() == ErrorKind::kClockSkew && skew_corrected && attempt < retry.config().max_attempts) {
      spdlog::debug("{}: clock skew of {} ms detected; signing again", name, skew_ms_.load());
      again = true;  // the next attempt is signed with the corrected time, no backoff needed
    } else if (retry.ShouldRetry(error, attempt, &cost_taken)) {
      Millis wait = retry.Backoff(attempt);
      spdlog::debug("{}: {} is retryable; waiting {} ms", name, error.code(), wait.count());
      settings_.sleeper->Sleep(wait);
      again = true;
    }
    if (!again) {
      error.set_operation(operation);
      if (settings_.observer) settings_.observer(settings_.service, operation, input, &error);
      return error;
    }
  }
}

Status AwsClient::Paginate(const std::string& operation, const Json& input,
                           const std::function<bool(const Json& page)>& on_page) {
  const Json* op = model_ ? model_->FindOperation(operation) : nullptr;
  if (!op || !op->contains("paginator")) {
    auto page = Call(operation, input);
    if (!page.ok()) return page.error();
    on_page(*page);
    return OkStatus();
  }
  const Json& paginator = (*op)["paginator"];
  Json input_tokens = AsList(paginator["input_token"]);
  Json output_tokens = AsList(paginator["output_token"]);
  Json request = input.is_null() ? Json::object() : input;
  for (;;) {
    auto page = Call(operation, request);
    if (!page.ok()) return page.error();
    if (!on_page(*page)) return OkStatus();
    if (paginator.contains("more_results") && !page->value(paginator["more_results"].get<std::string>(), false)) {
      return OkStatus();
    }
    bool more = false;
    for (size_t i = 0; i < output_tokens.size() && i < input_tokens.size(); ++i) {
      const std::string out_name = output_tokens[i];
      const std::string in_name = input_tokens[i];
      if (page->contains(out_name) && !(*page)[out_name].is_null() &&
          !((*page)[out_name].is_string() && (*page)[out_name].get<std::string>().empty())) {
        if (request.contains(in_name) && request[in_name] == (*page)[out_name]) {
          return Error::Local("PaginationLoop", operation + " returned the same page token twice");
        }
        request[in_name] = (*page)[out_name];
        more = true;
      } else {
        request.erase(in_name);
      }
    }
    if (!more) return OkStatus();
  }
}

Outcome<Json> AwsClient::CallAllPages(const std::string& operation, const Json& input) {
  const Json* op = model_ ? model_->FindOperation(operation) : nullptr;
  Json result_keys = op && op->contains("paginator") && (*op)["paginator"].contains("result_key")
                         ? AsList((*op)["paginator"]["result_key"])
                         : Json::array();
  Json merged;
  bool first = true;
  Status s = Paginate(operation, input, [&](const Json& page) {
    if (first) {
      merged = page;
      first = false;
      return true;
    }
    for (const auto& key_json : result_keys) {
      const std::string key = key_json;
      if (!page.contains(key)) continue;
      if (page[key].is_array()) {
        if (!merged.contains(key)) merged[key] = Json::array();
        for (const auto& item : page[key]) merged[key].push_back(item);
      } else if (page[key].is_number()) {
        merged[key] = merged.value(key, 0) + page[key].get<long long>();
      }
    }
    return true;
  });
  if (!s.ok()) return s.error();
  if (op && op->contains("paginator")) {
    for (const auto& t : AsList((*op)["paginator"]["output_token"])) merged.erase(t.get<std::string>());
  }
  return merged;
}

}  // namespace datamesh::aws
