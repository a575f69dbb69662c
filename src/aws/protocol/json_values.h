// The JSON wire form of modelled values (awsJson and restJson bodies): like the caller's JSON form
// except that timestamps travel as epoch seconds and members may carry a wire name.
#pragma once

#include "aws/model/service_model.h"

namespace datamesh::aws {

Json ToWireJson(const ServiceModel& model, const Json& shape, const Json& value);
// Unknown members are dropped, as the SDKs do, so that new service fields never break a reader.
Outcome<Json> FromWireJson(const ServiceModel& model, const Json& shape, const Json& wire);

}  // namespace datamesh::aws
