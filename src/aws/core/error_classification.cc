#include "aws/core/error_classification.h"

#include <array>

namespace datamesh::aws {
namespace {

constexpr std::array<std::string_view, 15> kThrottlingCodes = {
    "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
    "TooManyRequestsException", "ProvisionedThroughputExceededException",
    "TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
    "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
    "EC2ThrottledException", "ThrottlingError"};

// ConcurrentModificationException: Lake Formation and Glue refuse a change that meets another on
// the same resource ("Two processes are trying to modify a resource simultaneously", their API
// references); trying again after a pause is the documented way through.
constexpr std::array<std::string_view, 6> kTransientCodes = {
    "RequestTimeout", "RequestTimeoutException", "InternalError", "InternalFailure",
    "ServiceUnavailable", "ConcurrentModificationException"};

constexpr std::array<std::string_view, 6> kClockSkewCodes = {
    "RequestTimeTooSkewed", "RequestExpired", "InvalidSignatureException", "SignatureDoesNotMatch",
    "AuthFailure", "RequestInTheFuture"};

template <size_t N>
bool Contains(const std::array<std::string_view, N>& set, std::string_view code) {
  for (auto c : set) {
    if (c == code) return true;
  }
  return false;
}

}  // namespace

ErrorKind ClassifyError(std::string_view code, int http_status) {
  if (Contains(kThrottlingCodes, code) || http_status == 429) return ErrorKind::kThrottling;
  if (Contains(kTransientCodes, code)) return ErrorKind::kTransient;
  if (Contains(kClockSkewCodes, code)) return ErrorKind::kClockSkew;
  if (http_status == 500 || http_status == 502 || http_status == 503 || http_status == 504) {
    return ErrorKind::kTransient;
  }
  return ErrorKind::kClient;
}

Error ServiceError(std::string code, std::string message, int http_status, std::string request_id) {
  ErrorKind kind = ClassifyError(code, http_status);
  return Error(std::move(code), std::move(message), kind, http_status, std::move(request_id));
}

}  // namespace datamesh::aws
