// The local mesh's state: one SQLite file (WAL) holding every account's resources. Generic
// resources are JSON documents keyed by (account, region, kind, key); services whose reads must
// cost what their result costs (DynamoDB items, Lake Formation grants) keep their own tables,
// reached through Transaction::Sql. Several processes (a server and CLI runs) may use the file at
// once; every change happens inside a transaction, and a committed transaction is on disk
// (synchronous=FULL) before the request that made it is answered.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "aws/model/service_model.h"
#include "datamesh/outcome.h"

struct sqlite3;
struct sqlite3_stmt;

namespace datamesh::local {

using aws::Json;

// Where a resource lives. IAM and STS are global: their region is "". Facts shared by every
// account (access keys, bucket names) live in the scope Global().
struct Scope {
  std::string account;
  std::string region;
  static Scope Global() { return {"", ""}; }
};

// One open SQLite connection and the statements compiled on it, kept for reuse: compiling a
// statement costs more than running most of them.
class Connection {
 public:
  explicit Connection(sqlite3* db) : db_(db) {}
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  sqlite3* db() const { return db_; }
  // The compiled statement, from the cache unless the cached one is in use (a read still
  // stepping while the same statement runs again); Return gives it back.
  sqlite3_stmt* Borrow(std::string_view sql);
  void Return(sqlite3_stmt* stmt);

 private:
  struct Cached {
    sqlite3_stmt* stmt;
    bool in_use;
  };
  sqlite3* db_;
  std::unordered_map<std::string, Cached> statements_;
};

// A compiled statement borrowed from the connection's cache for one use; it is reset (bindings
// cleared) when it goes out of scope. Errors throw, and the transaction turns them into
// InternalFailure.
class Sql {
 public:
  Sql(Connection& connection, std::string_view text);
  ~Sql();
  Sql(const Sql&) = delete;
  Sql& operator=(const Sql&) = delete;
  Sql& Bind(int i, std::string_view text);
  Sql& BindBlob(int i, std::string_view bytes);
  Sql& Bind(int i, int64_t value);
  // True while rows come; false when done.
  bool Next();
  // Runs a statement that returns no rows.
  void Run();
  std::string Text(int col) const;
  std::string_view View(int col) const;  // valid until the next Next()
  int64_t Int(int col) const;

 private:
  Connection& connection_;
  sqlite3_stmt* stmt_;
};

class Transaction {
 public:
  Transaction(Connection& connection, bool writable) : connection_(connection), writable_(writable) {}
  std::optional<Json> Get(const Scope& scope, const std::string& kind, const std::string& key);
  void Put(const Scope& scope, const std::string& kind, const std::string& key, const Json& doc);
  // True when something was deleted.
  bool Delete(const Scope& scope, const std::string& kind, const std::string& key);
  // The documents of a kind in key order, optionally only keys starting with `prefix`.
  std::vector<std::pair<std::string, Json>> List(const Scope& scope, const std::string& kind,
                                                 const std::string& prefix = "");
  // Visits the documents of a kind whose keys start with `prefix` and come after `after`, in key
  // order, until `visit` returns false: a page read from where the last one ended.
  void Each(const Scope& scope, const std::string& kind, const std::string& prefix, const std::string& after,
            const std::function<bool(const std::string& key, Json doc)>& visit);
  // Every scope that holds documents of `kind` (e.g. all accounts with IAM users).
  std::vector<Scope> ScopesWith(const std::string& kind);

  // A statement on the service tables. Writing ones are refused in a read transaction.
  Sql Query(std::string_view sql) { return Sql(connection_, sql); }
  Sql Change(std::string_view sql);
  // Rows changed by the last writing statement.
  int Changes() const;
  // Runs a script of DDL statements (CREATE TABLE/INDEX IF NOT EXISTS ...).
  void Define(const char* ddl);

 private:
  void RequireWritable() const;
  Connection& connection_;
  bool writable_;
};

// One page of a kind's documents read in key order (see PageByKey).
struct KeyPage {
  Json items = Json::array();
  std::optional<std::string> resume_after;  // the last key read, when more remain
};

// Reads the documents of `kind` under `prefix` after the key `after`, turning each into an entry
// with `select` (nullopt drops it) until `max` entries are taken: the paging of the list
// operations whose tokens name the last key read, so that a page costs what it reads.
KeyPage PageByKey(Transaction& tx, const Scope& scope, const std::string& kind, const std::string& prefix,
                  const std::string& after, size_t max, const std::function<std::optional<Json>(Json doc)>& select);

class Store {
 public:
  // Opens (creating if needed) the database file. An error names the file and SQLite's reason.
  static Outcome<std::shared_ptr<Store>> Open(const std::string& path);
  ~Store();

  // Runs `body` in a write transaction (BEGIN IMMEDIATE: writers are serialised), committing when
  // it returns ok and rolling back otherwise, so a failed request leaves the state as it was.
  template <typename T>
  Outcome<T> Write(const std::function<Outcome<T>(Transaction&)>& body) {
    return Run<T>(body, true);
  }
  // Runs `body` in a read transaction: a consistent snapshot that neither waits for writers nor
  // holds them up (WAL). The body must not write.
  template <typename T>
  Outcome<T> Read(const std::function<Outcome<T>(Transaction&)>& body) {
    return Run<T>(body, false);
  }

  // The file's schema version, and setting it (inside a write transaction, by migrations).
  int SchemaVersion(Transaction& tx);
  void SetSchemaVersion(Transaction& tx, int version);

  const std::string& path() const { return path_; }

 private:
  Store() = default;
  template <typename T>
  Outcome<T> Run(const std::function<Outcome<T>(Transaction&)>& body, bool write);
  Status Begin(Connection& c, bool write);
  Status Exec(sqlite3* db, const char* sql);
  std::unique_ptr<Connection> Acquire();
  void Release(std::unique_ptr<Connection> c);
  Outcome<sqlite3*> OpenConnection();

  std::string path_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Connection>> idle_;
};

template <typename T>
Outcome<T> Store::Run(const std::function<Outcome<T>(Transaction&)>& body, bool write) {
  std::unique_ptr<Connection> c = Acquire();
  if (!c) return Error("InternalFailure", "cannot open the local mesh database " + path_, ErrorKind::kTransient, 500);
  Status begun = Begin(*c, write);
  if (!begun.ok()) {
    Release(std::move(c));
    return begun.error();
  }
  Transaction tx(*c, write);
  Outcome<T> result = [&]() -> Outcome<T> {
    try {
      return body(tx);
    } catch (const std::exception& e) {
      return Error("InternalFailure", std::string("local mesh store: ") + e.what(), ErrorKind::kTransient, 500);
    }
  }();
  Status end = Exec(c->db(), result.ok() && write ? "COMMIT" : "ROLLBACK");
  // A failed COMMIT leaves the transaction open: roll it back; the COMMIT's error is what we report.
  if (!end.ok()) (void)Exec(c->db(), "ROLLBACK");
  Release(std::move(c));
  if (result.ok() && !end.ok()) return end.error();
  return result;
}

}  // namespace datamesh::local
