// --output yaml, as the AWS CLI writes it: block style; a bare scalar result is written as JSON
// (YAML would end it with "..."), and an empty object prints nothing.
#pragma once

#include <iosfwd>
#include <nlohmann/json.hpp>

namespace datamesh::cli::format {

void WriteYaml(std::ostream& out, const nlohmann::json& value);

}  // namespace datamesh::cli::format
