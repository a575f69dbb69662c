// The subscription tracker at scale: fills a local mesh's tracker table to N items around one real
// subscription (copies of it), then times the Query that finds one owner's pending requests through
// its index, signed and answered by the embedded local mesh.
// Usage: bench_tracker MESH_DB CREDENTIALS_FILE SUBSCRIPTION_ID ITEMS OWNED [SUBSCRIBERS]
//   MESH_DB           a local mesh holding SUBSCRIPTION_ID (a pending request, or an approved one)
//   ITEMS, OWNED      the table's size afterwards, and how many of them are copies of SUBSCRIPTION_ID
//                     as it is, for the same owner (the rest belong to other owners, Active)
//   SUBSCRIBERS       the owner's copies go round-robin to this many subscriber accounts, the
//                     subscription's own first (default 1: all of them its own)
// Prints {"items", "owner_copies", "query_ms_p50", "query_ms_max", "query_count"}.
#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <random>

#include <nlohmann/json.hpp>

#include "aws/client/aws_session.h"
#include "datamesh/mesh_names.h"
#include "local/dynamodb/item_store.h"
#include "local/mesh_file.h"
#include "local/server/local_transport.h"
#include "mesh/tracker_attributes.h"

namespace {

using datamesh::aws::Json;
namespace ddb = datamesh::local::ddb;
namespace names = datamesh::names;

std::string Hex32(std::mt19937_64& rng) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 32; ++i) out.push_back(digits[rng() % 16]);
  return out;
}

// Copies of `like`: the owner's further subscriptions like it, then decided subscriptions of other
// owners, all written in one transaction through the local DynamoDB's item store.
void Fill(datamesh::local::Store& store, const std::string& mesh_account, const std::string& region,
          const std::string& id, int items, int owned, int subscribers) {
  auto filled = store.Write<bool>([&](datamesh::local::Transaction& tx) -> datamesh::Outcome<bool> {
    auto description = tx.Get({mesh_account, region}, "ddb_table", names::kTrackerTable);
    if (!description) throw std::runtime_error("no tracker table in the mesh account");
    ddb::TableSchema schema = ddb::TableSchema::FromDescription(*description);
    ddb::ItemStore table(tx, {mesh_account, region}, schema);
    auto like = table.Get({{"SubscriptionId", {{"S", id}}}});
    if (!like) throw std::runtime_error("no subscription " + id);
    const std::string owner = id.substr(0, 12), subscriber = id.substr(13, 12);
    std::mt19937_64 rng(std::random_device{}());
    for (int i = 1; i < items; ++i) {
      Json item = *like;
      if (i < owned) {
        std::string whose = subscriber;
        if (i % subscribers != 0) {
          char other[13];
          std::snprintf(other, sizeof(other), "%012d", 800000000 + i % subscribers);
          whose = other;
        }
        item["SubscriptionId"]["S"] = owner + "-" + whose + "-" + Hex32(rng);
        item["SubscriberPrincipal"]["S"] = whose;
      } else {
        char other[13];
        std::snprintf(other, sizeof(other), "%012d", 900000000 + i % 99);
        item["SubscriptionId"]["S"] = std::string(other) + "-" + subscriber + "-" + Hex32(rng);
        item["OwnerPrincipal"]["S"] = other;
        item["Status"] = {{"S", "Active"}};
        item.erase(datamesh::mesh::tracker::kInboxOwner);
      }
      table.Put(item, std::nullopt);
    }
    return true;
  });
  if (!filled.ok()) throw std::runtime_error(filled.error().ToString());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 6 && argc != 7) {
    std::cerr << "usage: bench_tracker MESH_DB CREDENTIALS_FILE SUBSCRIPTION_ID ITEMS OWNED [SUBSCRIBERS]\n";
    return 2;
  }
  try {
    const std::string db = argv[1], id = argv[3];
    const int items = std::stoi(argv[4]), owned = std::stoi(argv[5]);
    const int subscribers = argc == 7 ? std::max(1, std::stoi(argv[6])) : 1;
    Json creds = Json::parse(std::ifstream(argv[2]));
    const std::string region = creds.value("AWS_REGION", "us-east-1");
    const Json& mesh = creds["Mesh"];
    auto store = datamesh::local::OpenMeshFile(db);
    if (!store.ok()) throw std::runtime_error(store.error().ToString());
    Fill(**store, mesh["AccountId"], region, id, items, owned, subscribers);

    datamesh::aws::SessionOptions o;
    o.endpoint_url = datamesh::local::kInProcessEndpoint;
    o.region = region;
    datamesh::aws::Credentials credentials;
    credentials.access_key_id = mesh["AccessKeyId"];
    credentials.secret_access_key = mesh["SecretAccessKey"];
    o.credentials = credentials;
    o.environment = datamesh::aws::Environment();
    auto handler = std::make_shared<datamesh::local::MeshHandler>(*store, datamesh::aws::Clock::System());
    o.transport = std::make_shared<datamesh::local::LocalTransport>(handler);
    auto session = datamesh::aws::AwsSession::Create(o);
    if (!session.ok()) throw std::runtime_error(session.error().ToString());
    auto ddb_client = *(*session)->Client("dynamodb");
    Json query = {{"TableName", names::kTrackerTable},
                  {"IndexName", names::kInboxIndex},
                  {"KeyConditionExpression", "#o = :o"},
                  {"ExpressionAttributeNames", {{"#o", datamesh::mesh::tracker::kInboxOwner}}},
                  {"ExpressionAttributeValues", {{":o", {{"S", id.substr(0, 12)}}}}}};
    std::vector<double> ms;
    size_t count = 0;
    for (int i = 0; i < 21; ++i) {
      auto t0 = std::chrono::steady_clock::now();
      auto out = ddb_client->CallAllPages("Query", query);
      ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
      if (!out.ok()) throw std::runtime_error(out.error().ToString());
      count = (*out)["Items"].size();
    }
    std::sort(ms.begin(), ms.end());
    std::cout << Json{{"items", items}, {"owner_copies", owned}, {"query_ms_p50", ms[ms.size() / 2]},
                      {"query_ms_max", ms.back()}, {"query_count", count}}
                     .dump()
              << std::endl;
  } catch (const std::exception& e) {
    std::cerr << "bench_tracker: " << e.what() << std::endl;
    return 1;
  }
  return 0;
}
