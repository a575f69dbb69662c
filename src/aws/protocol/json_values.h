// The JSON wire form of modelled values (awsJson and restJson bodies): like the caller's JSON form
// except that timestamps travel as epoch seconds and members may carry a wire name.
#pragma once

#include "aws/model/service_model.h"

namespace datamesh::aws {

// Members a structure carries that its model does not know (newer than our models), kept under
// this key exactly as they travelled, so that a read-modify-write sends them back instead of
// erasing them (PutDataLakeSettings replaces the whole object it is given).
inline constexpr char kUnmodeledMembers[] = "__unmodeled";

// The members under kUnmodeledMembers go out beside the modelled ones, which win a clash.
Json ToWireJson(const ServiceModel& model, const Json& shape, const Json& value);
// Members the model does not know are kept under kUnmodeledMembers of their structure, never
// interpreted, so that new service fields neither break a reader nor get lost on a write back.
Outcome<Json> FromWireJson(const ServiceModel& model, const Json& shape, const Json& wire);

}  // namespace datamesh::aws
