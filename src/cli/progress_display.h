// Progress of long workflows on stderr. On a terminal: one live line, redrawn in place, with the
// phase, its count and an estimate of the time left; erased when the phase ends. Otherwise (a pipe,
// a file, CI logs): one line per phase when it ends, and one per distinct wait, in the log's format.
// Either way, one line for each thing the workflow made or found already in place, and a count at
// the end: a rerun says what existed.
// stdout carries only the result either way; --quiet turns this off.
#pragma once

#include <functional>

#include "datamesh/mesh_options.h"

namespace datamesh::cli {

// The sink for MeshOptions::progress, writing to stderr (a live line when stderr is a terminal).
std::function<void(const ProgressEvent&)> StderrProgress();
// Erases the live line, if one is drawn (before an error is printed).
void EndProgressLine();
// Prints how many things the workflow made and found already in place, when it touched any.
void SummarizeChanges();

}  // namespace datamesh::cli
