// --output table, as the AWS CLI draws it: nested boxes titled by the command, an object's scalar
// members as one row under a header of their keys, each non-scalar member a box inside, a list of
// objects as a table with a row each. Wider than the terminal, single-row tables turn vertical
// (key | value); column widths are scaled to fill the widest box.
#pragma once

#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>

namespace datamesh::cli::format {

void WriteTable(std::ostream& out, const nlohmann::json& value, const std::string& title, size_t terminal_width);

// The width of the terminal on stdout, or 80 when stdout is not a terminal (as the AWS CLI).
size_t TerminalWidth();

}  // namespace datamesh::cli::format
