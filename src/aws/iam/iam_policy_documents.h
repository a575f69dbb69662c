// IAM sends policy documents in its XML responses URL-encoded (RFC 3986). The JSON form holds
// them decoded, as the SDKs give them: the client decodes after parsing, the local IAM encodes
// before serializing. Applies to every member whose shape is "policyDocumentType".
#pragma once

#include "aws/model/service_model.h"

namespace datamesh::aws {

// `shape`: the operation's output shape; `value` is changed in place.
void DecodeIamPolicyDocuments(const ServiceModel& model, const Json& shape, Json& value);
void EncodeIamPolicyDocuments(const ServiceModel& model, const Json& shape, Json& value);

}  // namespace datamesh::aws
