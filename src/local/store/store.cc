#include "local/store/store.h"

#include <sqlite3.h>

#include <chrono>
#include <stdexcept>
#include <thread>

namespace datamesh::local {
namespace {

constexpr int kBusyTimeoutMs = 30'000;

constexpr char kSchema[] = R"(
  CREATE TABLE IF NOT EXISTS resources (
    account TEXT NOT NULL, region TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL,
    doc TEXT NOT NULL, PRIMARY KEY (account, region, kind, key)) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS resources_by_kind ON resources(kind, account, region);
  CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  INSERT OR IGNORE INTO meta VALUES ('schema_version', '1');
)";

[[noreturn]] void Fail(sqlite3* db) { throw std::runtime_error(sqlite3_errmsg(db)); }

// The least string above every string that starts with `prefix` (BINARY collation compares bytes),
// so that a prefix is a key range the primary key's index can bound on both ends.
std::string PrefixEnd(std::string prefix) {
  while (!prefix.empty() && static_cast<unsigned char>(prefix.back()) == 0xff) prefix.pop_back();
  if (prefix.empty()) return std::string(4, '\xff');
  prefix.back() = static_cast<char>(static_cast<unsigned char>(prefix.back()) + 1);
  return prefix;
}

}  // namespace

Connection::~Connection() {
  for (auto& [sql, cached] : statements_) sqlite3_finalize(cached.stmt);
  sqlite3_close(db_);
}

sqlite3_stmt* Connection::Borrow(std::string_view sql) {
  std::string key(sql);
  auto it = statements_.find(key);
  if (it != statements_.end() && !it->second.in_use) {
    it->second.in_use = true;
    return it->second.stmt;
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v3(db_, key.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK) Fail(db_);
  if (it == statements_.end()) statements_.emplace(std::move(key), Cached{stmt, true});
  return stmt;
}

void Connection::Return(sqlite3_stmt* stmt) {
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  auto it = statements_.find(sqlite3_sql(stmt));
  if (it != statements_.end() && it->second.stmt == stmt) {
    it->second.in_use = false;
  } else {
    sqlite3_finalize(stmt);  // a second copy, made while the cached one was busy
  }
}

Sql::Sql(Connection& connection, std::string_view text) : connection_(connection), stmt_(connection.Borrow(text)) {}

Sql::~Sql() { connection_.Return(stmt_); }

Sql& Sql::Bind(int i, std::string_view text) {
  sqlite3_bind_text(stmt_, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}

Sql& Sql::BindBlob(int i, std::string_view bytes) {
  // A zero-length blob, not NULL, for the empty key part.
  if (bytes.empty()) {
    sqlite3_bind_zeroblob(stmt_, i, 0);
  } else {
    sqlite3_bind_blob(stmt_, i, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
  }
  return *this;
}

Sql& Sql::Bind(int i, int64_t value) {
  sqlite3_bind_int64(stmt_, i, value);
  return *this;
}

bool Sql::Next() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Fail(connection_.db());
}

void Sql::Run() {
  while (Next()) {
  }
}

std::string Sql::Text(int col) const { return std::string(View(col)); }

std::string_view Sql::View(int col) const {
  const void* p = sqlite3_column_blob(stmt_, col);
  int n = sqlite3_column_bytes(stmt_, col);
  return p ? std::string_view(static_cast<const char*>(p), n) : std::string_view();
}

int64_t Sql::Int(int col) const { return sqlite3_column_int64(stmt_, col); }

void Transaction::RequireWritable() const {
  // A read transaction that writes is a bug in the local mesh: under WAL it could fail on a
  // snapshot another writer has moved past, so it is stopped here, where tests see it.
  if (!writable_) throw std::logic_error("write attempted in a read transaction");
}

Sql Transaction::Change(std::string_view sql) {
  RequireWritable();
  return Sql(connection_, sql);
}

int Transaction::Changes() const { return sqlite3_changes(connection_.db()); }

void Transaction::Define(const char* ddl) {
  RequireWritable();
  char* message = nullptr;
  if (sqlite3_exec(connection_.db(), ddl, nullptr, nullptr, &message) != SQLITE_OK) {
    std::string why = message ? message : "cannot define tables";
    sqlite3_free(message);
    throw std::runtime_error(why);
  }
}

std::optional<Json> Transaction::Get(const Scope& scope, const std::string& kind, const std::string& key) {
  Sql s = Query("SELECT doc FROM resources WHERE account=? AND region=? AND kind=? AND key=?");
  s.Bind(1, scope.account).Bind(2, scope.region).Bind(3, kind).Bind(4, key);
  if (!s.Next()) return std::nullopt;
  return Json::parse(s.View(0));
}

void Transaction::Put(const Scope& scope, const std::string& kind, const std::string& key, const Json& doc) {
  Sql s = Change("INSERT OR REPLACE INTO resources VALUES (?, ?, ?, ?, ?)");
  s.Bind(1, scope.account).Bind(2, scope.region).Bind(3, kind).Bind(4, key).Bind(5, doc.dump());
  s.Run();
}

bool Transaction::Delete(const Scope& scope, const std::string& kind, const std::string& key) {
  Sql s = Change("DELETE FROM resources WHERE account=? AND region=? AND kind=? AND key=?");
  s.Bind(1, scope.account).Bind(2, scope.region).Bind(3, kind).Bind(4, key);
  s.Run();
  return Changes() > 0;
}

std::vector<std::pair<std::string, Json>> Transaction::List(const Scope& scope, const std::string& kind,
                                                            const std::string& prefix) {
  Sql s = Query("SELECT key, doc FROM resources WHERE account=? AND region=? AND kind=? AND key >= ? AND key < ? ORDER BY key");
  s.Bind(1, scope.account).Bind(2, scope.region).Bind(3, kind).Bind(4, prefix).Bind(5, PrefixEnd(prefix));
  std::vector<std::pair<std::string, Json>> out;
  while (s.Next()) out.emplace_back(s.Text(0), Json::parse(s.View(1)));
  return out;
}

void Transaction::Each(const Scope& scope, const std::string& kind, const std::string& prefix, const std::string& after,
                       const std::function<bool(const std::string& key, Json doc)>& visit) {
  Sql s = Query(after < prefix ? "SELECT key, doc FROM resources WHERE account=? AND region=? AND kind=? AND key >= ? AND key < ? ORDER BY key"
                                : "SELECT key, doc FROM resources WHERE account=? AND region=? AND kind=? AND key > ? AND key < ? ORDER BY key");
  s.Bind(1, scope.account).Bind(2, scope.region).Bind(3, kind).Bind(4, after < prefix ? prefix : after).Bind(5, PrefixEnd(prefix));
  while (s.Next()) {
    if (!visit(s.Text(0), Json::parse(s.View(1)))) return;
  }
}

std::vector<Scope> Transaction::ScopesWith(const std::string& kind) {
  Sql s = Query("SELECT DISTINCT account, region FROM resources WHERE kind=? ORDER BY account, region");
  s.Bind(1, kind);
  std::vector<Scope> out;
  while (s.Next()) out.push_back({s.Text(0), s.Text(1)});
  return out;
}

KeyPage PageByKey(Transaction& tx, const Scope& scope, const std::string& kind, const std::string& prefix,
                  const std::string& after, size_t max, const std::function<std::optional<Json>(Json doc)>& select) {
  KeyPage page;
  std::string last;
  tx.Each(scope, kind, prefix, after, [&](const std::string& key, Json doc) {
    if (page.items.size() == max) {
      page.resume_after = last;
      return false;
    }
    last = key;
    if (auto entry = select(std::move(doc))) page.items.push_back(std::move(*entry));
    return true;
  });
  return page;
}

int Store::SchemaVersion(Transaction& tx) {
  Sql s = tx.Query("SELECT value FROM meta WHERE key='schema_version'");
  return s.Next() ? std::stoi(s.Text(0)) : 1;
}

void Store::SetSchemaVersion(Transaction& tx, int version) {
  tx.Change("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)").Bind(1, std::to_string(version)).Run();
}

Outcome<std::shared_ptr<Store>> Store::Open(const std::string& path) {
  std::shared_ptr<Store> store(new Store());
  store->path_ = path;
  auto db = store->OpenConnection();
  if (!db.ok()) return db.error();
  auto connection = std::make_unique<Connection>(*db);
  Status s = store->Exec(*db, kSchema);
  if (!s.ok()) return Error::Local("LocalMeshStore", "cannot initialise " + path + ": " + s.error().message());
  store->Release(std::move(connection));
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

Store::~Store() = default;

std::unique_ptr<Connection> Store::Acquire() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      std::unique_ptr<Connection> c = std::move(idle_.back());
      idle_.pop_back();
      return c;
    }
  }
  auto db = OpenConnection();
  return db.ok() ? std::make_unique<Connection>(*db) : nullptr;
}

void Store::Release(std::unique_ptr<Connection> c) {
  std::lock_guard<std::mutex> lock(mu_);
  idle_.push_back(std::move(c));
}

Status Store::Exec(sqlite3* db, const char* sql) {
  char* message = nullptr;
  int rc = sqlite3_exec(db, sql, nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return OkStatus();
  std::string why = message ? message : sqlite3_errstr(rc);
  sqlite3_free(message);
  return Error("InternalFailure", "local mesh store: " + why, ErrorKind::kTransient, 500);
}

Status Store::Begin(Connection& c, bool write) {
  // busy_timeout covers most waits; a writer that still finds the file locked tries again.
  for (int attempt = 0;; ++attempt) {
    Status s = Exec(c.db(), write ? "BEGIN IMMEDIATE" : "BEGIN");
    if (s.ok() || attempt >= 5) return s;
    std::this_thread::sleep_for(std::chrono::milliseconds(20 * (attempt + 1)));
  }
}

}  // namespace datamesh::local
