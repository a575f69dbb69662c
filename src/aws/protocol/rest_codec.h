// restJson1 (Lake Formation, RAM) and restXml (S3): the operation's HTTP method and URI template
// address it; members bind to the URI, query string, headers, or the body (JSON or XML).
#pragma once

#include "aws/protocol/protocol_codec.h"

namespace datamesh::aws {

class RestCodec : public ProtocolCodec {
 public:
  Outcome<HttpRequest> SerializeRequest(const ServiceModel& model, const std::string& operation_name,
                                        const Json& input) const override;
  Outcome<Json> ParseResponse(const ServiceModel& model, const std::string& operation_name,
                              const HttpResponse& response) const override;

  std::optional<std::string> MatchOperation(const ServiceModel& model,
                                            const HttpRequest& request) const override;
  Outcome<Json> ParseRequest(const ServiceModel& model, const std::string& operation_name,
                             const HttpRequest& request) const override;
  HttpResponse SerializeResponse(const ServiceModel& model, const std::string& operation_name,
                                 const Json& output, const std::string& request_id) const override;

 protected:
  // The HTTP body of a payload member: raw for blobs and strings, else EncodeBody
  // (`structured` says which).
  Outcome<std::string> WritePayload(const ServiceModel& model, const Json& ref, const Json& value,
                                    bool* structured) const;
  // The payload member read back from a body; nullopt for an empty structured payload.
  Outcome<std::optional<Json>> ReadPayload(const ServiceModel& model, const Json& ref,
                                           const std::string& body) const;
  // The body for the members that are not bound elsewhere (or the structure payload member).
  virtual Outcome<std::string> EncodeBody(const ServiceModel& model, const Json& shape,
                                          const Json& value, const Json* payload_ref) const = 0;
  virtual Outcome<Json> DecodeBody(const ServiceModel& model, const Json& shape,
                                   const std::string& body) const = 0;
  virtual const char* ContentType() const = 0;
};

class RestJsonCodec : public RestCodec {
 public:
  Error ParseError(const HttpResponse& response) const override;
  HttpResponse SerializeError(const ServiceModel& model, const Error& error,
                              const std::string& request_id) const override;

 protected:
  Outcome<std::string> EncodeBody(const ServiceModel& model, const Json& shape, const Json& value,
                                  const Json* payload_ref) const override;
  Outcome<Json> DecodeBody(const ServiceModel& model, const Json& shape,
                           const std::string& body) const override;
  const char* ContentType() const override { return "application/json"; }
};

class RestXmlCodec : public RestCodec {
 public:
  Error ParseError(const HttpResponse& response) const override;
  HttpResponse SerializeError(const ServiceModel& model, const Error& error,
                              const std::string& request_id) const override;

 protected:
  Outcome<std::string> EncodeBody(const ServiceModel& model, const Json& shape, const Json& value,
                                  const Json* payload_ref) const override;
  Outcome<Json> DecodeBody(const ServiceModel& model, const Json& shape,
                           const std::string& body) const override;
  const char* ContentType() const override { return "application/xml"; }
};

}  // namespace datamesh::aws
