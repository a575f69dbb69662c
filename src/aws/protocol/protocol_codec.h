// A wire protocol (awsQuery, awsJson1_0/1_1, restJson1, restXml): how an operation's JSON input
// becomes an HTTP request and how the HTTP response becomes its JSON output or an Error. One
// codec per protocol, driven by the service model; the local mesh uses the same codecs.
#pragma once

#include <optional>
#include <string>

#include "aws/http/http_request.h"
#include "aws/model/service_model.h"

namespace datamesh::aws {

class ProtocolCodec {
 public:
  virtual ~ProtocolCodec() = default;

  // Fills method, path, query, headers and body (not the endpoint) for `operation_name`.
  // REQUIRES: `input` was validated against the operation's input shape.
  virtual Outcome<HttpRequest> SerializeRequest(const ServiceModel& model,
                                                const std::string& operation_name,
                                                const Json& input) const = 0;

  // Reads a successful (2xx) response into the operation's output in the JSON form.
  virtual Outcome<Json> ParseResponse(const ServiceModel& model, const std::string& operation_name,
                                      const HttpResponse& response) const = 0;

  // Reads an error response (code, message, request id) into an Error.
  virtual Error ParseError(const HttpResponse& response) const = 0;

  // --- The server side, used by the local mesh ---

  // The operation a received request addresses (Action, X-Amz-Target, or method and URI);
  // nullopt when it names none of the model's operations.
  virtual std::optional<std::string> MatchOperation(const ServiceModel& model,
                                                    const HttpRequest& request) const = 0;
  // Reads a received request into the operation's input in the JSON form.
  virtual Outcome<Json> ParseRequest(const ServiceModel& model, const std::string& operation_name,
                                     const HttpRequest& request) const = 0;
  // Writes the operation's output (JSON form) as the service would answer.
  virtual HttpResponse SerializeResponse(const ServiceModel& model, const std::string& operation_name,
                                         const Json& output, const std::string& request_id) const = 0;
  // Writes an error in the protocol's error format, with error.http_status() as the status.
  virtual HttpResponse SerializeError(const ServiceModel& model, const Error& error,
                                      const std::string& request_id) const = 0;

  // The codec of a model's protocol name ("query", "json", "rest-json", "rest-xml"); nullptr if
  // unknown.
  static const ProtocolCodec* For(const std::string& protocol);
};

// The request id a service put in the response headers, if any.
std::string RequestIdFromHeaders(const HttpResponse& response);

// An error for a response whose body could not be read at all: its status decides the kind.
Error UnreadableResponseError(const HttpResponse& response, const std::string& why);

}  // namespace datamesh::aws
