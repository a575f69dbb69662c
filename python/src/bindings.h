// The library's personas behind one small interface the extension module exposes: a handle made
// from JSON options, whose methods take and answer JSON. Kept free of Python so that the mapping
// from the seeds' method names to the library is plain C++.
#pragma once

#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>

#include "datamesh/error.h"

namespace datamesh::python {

// A library error on its way to Python (the module turns it into datamesh.DataMeshError).
class CallFailed : public std::runtime_error {
 public:
  explicit CallFailed(Error error) : std::runtime_error(error.ToString()), error_(std::move(error)) {}
  const Error& error() const { return error_; }

 private:
  Error error_;
};

std::string KindName(ErrorKind kind);

class Args;

class Handle {
 public:
  virtual ~Handle() = default;
  // Runs `method` (a seed's method name) with its keyword arguments (a JSON object); answers its
  // result as JSON ("null" for None). Calls on one handle run one at a time.
  std::string Call(const std::string& method, const std::string& args_json);
  const std::string& persona() const { return persona_; }

 protected:
  explicit Handle(std::string persona) : persona_(std::move(persona)) {}
  virtual std::string Dispatch(const std::string& method, const Args& args) = 0;

 private:
  std::string persona_;
  std::mutex mu_;
};

// "admin", "producer" or "consumer", with the options the Python constructor gathered:
// {"data_mesh_account_id", "region_name", "log_level", "use_credentials"?, "endpoint_url"?,
//  "local_mesh"?, "max_concurrency"?}. Throws CallFailed.
std::unique_ptr<Handle> Open(const std::string& persona, const std::string& options_json);

// DataMeshMacros.bootstrap_account: {"options", "account_type", "mesh_credentials",
// "account_credentials", "crawler_role_arn"?}.
std::string BootstrapAccount(const std::string& args_json);

}  // namespace datamesh::python
