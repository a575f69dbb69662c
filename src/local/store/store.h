// The local mesh's state: one SQLite file (WAL) holding every account's resources as JSON
// documents keyed by (account, region, kind, key). Several processes (a server and CLI runs) may
// use the file at once; every change happens inside a transaction, and a committed transaction
// is on disk (synchronous=FULL) before the request that made it is answered.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "aws/model/service_model.h"
#include "datamesh/outcome.h"

struct sqlite3;

namespace datamesh::local {

using aws::Json;

// Where a resource lives. IAM and STS are global: their region is "". Facts shared by every
// account (access keys, bucket names) live in the scope Global().
struct Scope {
  std::string account;
  std::string region;
  static Scope Global() { return {"", ""}; }
};

class Transaction {
 public:
  explicit Transaction(sqlite3* db) : db_(db) {}
  std::optional<Json> Get(const Scope& scope, const std::string& kind, const std::string& key);
  void Put(const Scope& scope, const std::string& kind, const std::string& key, const Json& doc);
  // True when something was deleted.
  bool Delete(const Scope& scope, const std::string& kind, const std::string& key);
  // The documents of a kind in key order, optionally only keys starting with `prefix`.
  std::vector<std::pair<std::string, Json>> List(const Scope& scope, const std::string& kind,
                                                 const std::string& prefix = "");
  // Every scope that holds documents of `kind` (e.g. all accounts with IAM users).
  std::vector<Scope> ScopesWith(const std::string& kind);

 private:
  sqlite3* db_;
};

class Store {
 public:
  // Opens (creating if needed) the database file. An error names the file and SQLite's reason.
  static Outcome<std::shared_ptr<Store>> Open(const std::string& path);
  ~Store();

  // Runs `body` in a write transaction (BEGIN IMMEDIATE), committing when it returns ok and
  // rolling back otherwise, so a failed request leaves the state as it was.
  template <typename T>
  Outcome<T> Write(const std::function<Outcome<T>(Transaction&)>& body) {
    return Run<T>(body, true);
  }
  template <typename T>
  Outcome<T> Read(const std::function<Outcome<T>(Transaction&)>& body) {
    return Run<T>(body, false);
  }

  const std::string& path() const { return path_; }

 private:
  Store() = default;
  template <typename T>
  Outcome<T> Run(const std::function<Outcome<T>(Transaction&)>& body, bool write);
  Status Begin(sqlite3* db, bool write);
  Status Exec(sqlite3* db, const char* sql);
  sqlite3* Acquire();
  void Release(sqlite3* db);
  Outcome<sqlite3*> OpenConnection();

  std::string path_;
  std::mutex mu_;
  std::vector<sqlite3*> idle_;
};

template <typename T>
Outcome<T> Store::Run(const std::function<Outcome<T>(Transaction&)>& body, bool write) {
  sqlite3* db = Acquire();
  if (!db) return Error("InternalFailure", "cannot open the local mesh database " + path_, ErrorKind::kTransient, 500);
  Status begun = Begin(db, write);
  if (!begun.ok()) {
    Release(db);
    return begun.error();
  }
  Transaction tx(db);
  Outcome<T> result = [&]() -> Outcome<T> {
    try {
      return body(tx);
    } catch (const std::exception& e) {
      return Error("InternalFailure", std::string("local mesh store: ") + e.what(), ErrorKind::kTransient, 500);
    }
  }();
  Status end = Exec(db, result.ok() ? "COMMIT" : "ROLLBACK");
  // A failed COMMIT leaves the transaction open: roll it back; the COMMIT's error is what we report.
  if (!end.ok()) (void)Exec(db, "ROLLBACK");
  Release(db);
  if (result.ok() && !end.ok()) return end.error();
  return result;
}

}  // namespace datamesh::local
