// The INI dialect of ~/.aws/config and ~/.aws/credentials: [section] headers, "key = value"
// lines, full-line comments (# or ;), and indented sub-settings under a key with an empty value
// (e.g. "s3 =\n  endpoint_url = ..."), stored as "s3.endpoint_url".
#pragma once

#include <map>
#include <string>

#include "datamesh/outcome.h"

namespace datamesh::aws {

using IniSection = std::map<std::string, std::string>;
using IniFile = std::map<std::string, IniSection>;

// `origin` names the file in error messages.
Outcome<IniFile> ParseIni(const std::string& text, const std::string& origin);

}  // namespace datamesh::aws
