// The local mesh's one request handler, shared by the HTTP server and the in-process transport:
// it recognises the service and operation, verifies the signature, reads the input with the
// service's protocol codec, checks it against the model, runs the service inside a store
// transaction, and answers in the service's wire format.
#pragma once

#include <map>
#include <memory>

#include "aws/core/clock.h"
#include "aws/http/http_request.h"
#include "local/core/local_service.h"
#include "local/store/store.h"

namespace datamesh::local {

class MeshHandler {
 public:
  MeshHandler(std::shared_ptr<Store> store, std::shared_ptr<aws::Clock> clock);

  // Answers one request. Never throws; internal faults become HTTP 500 in the service's format.
  aws::HttpResponse Handle(const aws::HttpRequest& request);

  Store& store() { return *store_; }

 private:
  // The model name of the service a request is for.
  std::string RecognizeService(const aws::HttpRequest& request) const;

  std::shared_ptr<Store> store_;
  std::shared_ptr<aws::Clock> clock_;
  std::map<std::string, std::unique_ptr<LocalService>> services_;
};

}  // namespace datamesh::local
