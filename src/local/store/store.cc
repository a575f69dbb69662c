#include "local/store/store.h"

#include <sqlite3.h>

#include <chrono>
#include <stdexcept>
#include <thread>

namespace datamesh::local {
namespace {

constexpr int kBusyTimeoutMs = 30'000;

class Statement {
 public:
  Statement(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) {
      throw std::runtime_error(sqlite3_errmsg(db));
    }
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement& Bind(int i, const std::string& v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  // SQLITE_ROW or SQLITE_DONE; throws on errors.
  int Step() {
    int rc = sqlite3_step(stmt_);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) throw std::runtime_error(sqlite3_errmsg(db_));
    return rc;
  }
  std::string Text(int col) {
    auto p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    return p ? std::string(p, sqlite3_column_bytes(stmt_, col)) : std::string();
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

constexpr char kSchema[] = R"(
  CREATE TABLE IF NOT EXISTS resources (
    account TEXT NOT NULL, region TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL,
    doc TEXT NOT NULL, PRIMARY KEY (account, region, kind, key)) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS resources_by_kind ON resources(kind, account, region);
  CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  INSERT OR IGNORE INTO meta VALUES ('schema_version', '1');
)";

}  // namespace

std::optional<Json> Transaction::Get(const Scope& scope, const std::string& kind, const std::string& key) {
  Statement s(db_, "SELECT doc FROM resources WHERE account=? AND region=? AND kind=? AND key=?");
  s.Bind(1, scope.account).Bind(2, scope.region).Bind(3, kind).Bind(4, key);
  if (s.Step() != SQLITE_ROW) return std::nullopt;
  return Json::parse(s.Text(0));
}

void Transaction::Put(const Scope& scope, const std::string& kind, const std::string& key, const Json& doc) {
  Statement s(db_, "INSERT OR REPLACE INTO resources VALUES (?, ?, ?, ?, ?)");
  s.Bind(1, scope.account).Bind(2, scope.region).Bind(3, kind).Bind(4, key).Bind(5, doc.dump());
  s.Step();
}

bool Transaction::Delete(const Scope& scope, const std::string& kind, const std::string& key) {
  Statement s(db_, "DELETE FROM resources WHERE account=? AND region=? AND kind=? AND key=?");
  s.Bind(1, scope.account).Bind(2, scope.region).Bind(3, kind).Bind(4, key);
  s.Step();
  return sqlite3_changes(db_) > 0;
}

std::vector<std::pair<std::string, Json>> Transaction::List(const Scope& scope, const std::string& kind,
                                                            const std::string& prefix) {
  Statement s(db_,
              "SELECT key, doc FROM resources WHERE account=? AND region=? AND kind=? AND "
              "substr(key, 1, length(?)) = ? ORDER BY key");
  s.Bind(1, scope.account).Bind(2, scope.region).Bind(3, kind).Bind(4, prefix).Bind(5, prefix);
  std::vector<std::pair<std::string, Json>> out;
  while (s.Step() == SQLITE_ROW) out.emplace_back(s.Text(0), Json::parse(s.Text(1)));
  return out;
}

std::vector<Scope> Transaction::ScopesWith(const std::string& kind) {
  Statement s(db_, "SELECT DISTINCT account, region FROM resources WHERE kind=? ORDER BY account, region");
  s.Bind(1, kind);
  std::vector<Scope> out;
  while (s.Step() == SQLITE_ROW) out.push_back({s.Text(0), s.Text(1)});
  return out;
}

Outcome<std::shared_ptr<Store>> Store::Open(const std::string& path) {
  std::shared_ptr<Store> store(new Store());
  store->path_ = path;
  auto db = store->OpenConnection();
  if (!db.ok()) return db.error();
  Status s = store->Exec(*db, kSchema);
  if (!s.ok()) {
    sqlite3_close(*db);
    return Error::Local("LocalMeshStore", "cannot initialise " + path + ": " + s.error().message());
  }
  store->Release(*db);
  return store;
}

Outcome<sqlite3*> Store::OpenConnection() {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                           nullptr);
  if (rc != SQLITE_OK) {
    std::string why = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return Error::Local("LocalMeshStore", "cannot open " + path_ + ": " + why);
  }
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  for (const char* pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON"}) {
    Status s = Exec(db, pragma);
    if (!s.ok()) {
      sqlite3_close(db);
      return Error::Local("LocalMeshStore", path_ + " is not a usable SQLite database: " + s.error().message());
    }
  }
  return db;
}

Store::~Store() {
  for (sqlite3* db : idle_) sqlite3_close(db);
}

sqlite3* Store::Acquire() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      sqlite3* db = idle_.back();
      idle_.pop_back();
      return db;
    }
  }
  auto db = OpenConnection();
  return db.ok() ? *db : nullptr;
}

void Store::Release(sqlite3* db) {
  std::lock_guard<std::mutex> lock(mu_);
  idle_.push_back(db);
}

Status Store::Exec(sqlite3* db, const char* sql) {
  char* message = nullptr;
  int rc = sqlite3_exec(db, sql, nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return OkStatus();
  std::string why = message ? message : sqlite3_errstr(rc);
  sqlite3_free(message);
  return Error("InternalFailure", "local mesh store: " + why, ErrorKind::kTransient, 500);
}

Status Store::Begin(sqlite3* db, bool write) {
  // busy_timeout covers most waits; a writer that still finds the file locked tries again.
  for (int attempt = 0;; ++attempt) {
    Status s = Exec(db, write ? "BEGIN IMMEDIATE" : "BEGIN");
    if (s.ok() || attempt >= 5) return s;
    std::this_thread::sleep_for(std::chrono::milliseconds(20 * (attempt + 1)));
  }
}

}  // namespace datamesh::local
