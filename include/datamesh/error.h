// The error value every datamesh operation returns instead of throwing: an AWS error code and
// message as the service sent them, plus what the caller needs to decide what to do next.
#pragma once

#include <string>

namespace datamesh {

// How an error may be handled by a retry loop.
enum class ErrorKind {
  kClient,      // the request itself is wrong (bad parameter, access denied, not found, ...)
  kThrottling,  // the service asked us to slow down: retryable
  kTransient,   // 5xx, timeouts, dropped connections: retryable
  kClockSkew,   // signature refused because our clock disagrees with the service's
  kLocal,       // raised before anything reached a service (bad config, no credentials, ...)
};

class Error {
 public:
  Error() = default;
  Error(std::string code, std::string message, ErrorKind kind = ErrorKind::kClient,
        int http_status = 0, std::string request_id = {})
      : code_(std::move(code)),
        message_(std::move(message)),
        kind_(kind),
        http_status_(http_status),
        request_id_(std::move(request_id)) {}

  // An error raised locally before any request was sent.
  static Error Local(std::string code, std::string message) {
    return Error(std::move(code), std::move(message), ErrorKind::kLocal);
  }

  // The AWS error code, e.g. "SignatureDoesNotMatch", "EntityNotFoundException".
  const std::string& code() const { return code_; }
  const std::string& message() const { return message_; }
  ErrorKind kind() const { return kind_; }
  // 0 when no HTTP response was received.
  int http_status() const { return http_status_; }
  const std::string& request_id() const { return request_id_; }
  // The AWS operation whose call failed ("GetTable"), or "" for errors raised outside any call.
  const std::string& operation() const { return operation_; }
  Error& set_operation(std::string operation) {
    operation_ = std::move(operation);
    return *this;
  }
  // The same error (code, kind, status, request id, operation) told with another message: for
  // callers that add what they were doing.
  Error WithMessage(std::string message) const {
    Error e = *this;
    e.message_ = std::move(message);
    return e;
  }

  bool retryable() const { return kind_ == ErrorKind::kThrottling || kind_ == ErrorKind::kTransient; }
  bool throttling() const { return kind_ == ErrorKind::kThrottling; }

  // "Code: message" — the form printed by the CLI.
  std::string ToString() const { return message_.empty() ? code_ : code_ + ": " + message_; }

 private:
  std::string code_;
  std::string message_;
  ErrorKind kind_ = ErrorKind::kClient;
  int http_status_ = 0;
  std::string request_id_;
  std::string operation_;
};

}  // namespace datamesh
