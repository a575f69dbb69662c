// --output text, as the AWS CLI writes it: tab-separated rows. An object's scalar members make one
// row (keys in sorted order), each non-scalar member follows under its key in capitals; a list of
// objects gives one row per object with the union of their scalar keys as columns.
#pragma once

#include <iosfwd>
#include <nlohmann/json.hpp>

namespace datamesh::cli::format {

void WriteText(std::ostream& out, const nlohmann::json& value);

}  // namespace datamesh::cli::format
