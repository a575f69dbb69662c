// Independent work of a workflow (per table, per partition batch, per share) run concurrently, with
// results that do not depend on timing: items are numbered, each writes only its own result slot,
// and when items fail the error reported is the lowest-numbered one's. Requests stay bounded by the
// session's transport (see aws/http/limited_transport.h), however many items run.
#pragma once

#include <functional>

#include "datamesh/outcome.h"

namespace datamesh::mesh {

// Runs work(i) for every i in [0, n), at most `concurrency` at once (1: one after another, in
// order, on this thread). After an item fails no new item starts; those running finish. `on_done`
// is called on this thread, never concurrently, with the number of items finished so far.
Status ForEachConcurrently(size_t n, int concurrency, const std::function<Status(size_t)>& work,
                           const std::function<void(size_t done)>& on_done = {});

}  // namespace datamesh::mesh
