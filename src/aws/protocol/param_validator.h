// Checks a request's JSON input against the operation's input shape before anything is sent,
// as the AWS SDKs do: required members, unknown members, value types, minimum lengths/values.
#pragma once

#include "aws/model/service_model.h"

namespace datamesh::aws {

// Error code "ParamValidation" (ErrorKind::kLocal) listing every problem found.
Status ValidateInput(const ServiceModel& model, const Json& shape, const Json& input);

}  // namespace datamesh::aws
