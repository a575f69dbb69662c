// The one table that maps AWS error codes and HTTP statuses to retry categories, as the AWS SDKs'
// "standard" retry mode defines them.
#pragma once

#include <string_view>

#include "datamesh/error.h"

namespace datamesh::aws {

ErrorKind ClassifyError(std::string_view code, int http_status);

// Builds a service error with its kind classified.
Error ServiceError(std::string code, std::string message, int http_status, std::string request_id);

}  // namespace datamesh::aws
