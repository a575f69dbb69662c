// Glue's schedule expressions: cron(minutes hours day-of-month month day-of-week year), with '?'
// in exactly one of the two day fields. Shared by the workflows (to refuse bad input before
// changing anything) and the local Glue (to answer as Glue does).
#pragma once

#include <string>

namespace datamesh::aws {

bool IsValidGlueSchedule(const std::string& expression);

}  // namespace datamesh::aws
