// Checks a request's JSON input against the operation's input shape before anything is sent,
// as the AWS SDKs do: required members, unknown members, value types, minimum lengths/values.
#pragma once

#include "aws/model/service_model.h"

namespace datamesh::aws {

enum class ValidationMode {
  kClient,  // what the SDKs check before sending: required, unknown, types, minimums
  kServer,  // what a service checks too: maximum lengths and values, patterns
};

// kClient: error code "ParamValidation" (ErrorKind::kLocal) listing every problem found.
// kServer: code "ValidationError" with HTTP status 400 and AWS's "N validation errors detected:
// Value ... at '...' failed to satisfy constraint: ..." message; callers rename the code for
// their service.
Status ValidateInput(const ServiceModel& model, const Json& shape, const Json& input,
                     ValidationMode mode = ValidationMode::kClient);

}  // namespace datamesh::aws
