// A workflow's progress, told to the session's progress sink (MeshOptions::progress): the phase it
// is in and, for counted phases, how far along it is.
#pragma once

#include <string>

#include "mesh/mesh_session.h"

namespace datamesh::mesh {

class Progress {
 public:
  Progress(const MeshSession& session, std::string workflow) : session_(session), workflow_(std::move(workflow)) {}

  // A phase begins; `total` units when it is counted (tables, shares), else 0.
  void Begin(std::string phase, size_t total = 0) {
    phase_ = std::move(phase);
    total_ = total;
    Tell(0, false);
  }
  // `done` units of the phase are finished.
  void Advance(size_t done) { Tell(done, false); }
  // The phase is over.
  void End() { Tell(total_, true); }

 private:
  void Tell(size_t done, bool finished) const {
    ProgressEvent event;
    event.workflow = workflow_;
    event.phase = phase_;
    event.done = done;
    event.total = total_;
    event.finished = finished;
    session_.Report(event);
  }

  const MeshSession& session_;
  std::string workflow_;
  std::string phase_;
  size_t total_ = 0;
};

}  // namespace datamesh::mesh
