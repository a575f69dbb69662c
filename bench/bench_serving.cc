// Serving throughput of `datamesh local serve`: signed requests with keep-alive from N client
// connections against a fresh local mesh served in this process on 127.0.0.1, for the requests a
// mesh workflow sends most. Prints one JSON object per (operation, connections) with requests/s
// and latency percentiles. Usage: bench_serving [SECONDS_PER_RUN]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "aws/client/aws_session.h"
#include "local/accounts/local_mesh_setup.h"
#include "local/mesh_file.h"
#include "local/server/http_server.h"

namespace {

using datamesh::aws::Json;
using Clock = std::chrono::steady_clock;

struct Operation {
  std::string name;
  std::string service;
  std::string action;
  Json input;
};

std::shared_ptr<datamesh::aws::AwsClient> ClientFor(const std::string& endpoint, const datamesh::local::LocalAccountKeys& k,
                                                    const std::string& service) {
  datamesh::aws::SessionOptions o;
  o.endpoint_url = endpoint;
  o.region = "us-east-1";
  datamesh::aws::Credentials credentials;
    credentials.access_key_id = k.access_key_id;
    credentials.secret_access_key = k.secret_access_key;
    o.credentials = credentials;
  o.environment = datamesh::aws::Environment();
  o.max_attempts = 1;
  auto session = datamesh::aws::AwsSession::Create(o);
  if (!session.ok()) throw std::runtime_error(session.error().ToString());
  auto client = (*session)->Client(service);
  if (!client.ok()) throw std::runtime_error(client.error().ToString());
  return *client;
}

void Must(const datamesh::Outcome<Json>& r, const char* what) {
  if (!r.ok()) throw std::runtime_error(std::string(what) + ": " + r.error().ToString());
}

// What the measured requests read: a DynamoDB item, a Glue table, Lake Formation grants.
void Prepare(const std::string& endpoint, const datamesh::local::LocalAccountKeys& admin) {
  auto ddb = ClientFor(endpoint, admin, "dynamodb");
  Must(ddb->Call("CreateTable", Json::parse(R"({"TableName": "bench", "BillingMode": "PAY_PER_REQUEST",
       "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
       "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]})")), "CreateTable");
  Must(ddb->Call("PutItem", Json::parse(R"({"TableName": "bench", "Item": {"id": {"S": "one"}, "v": {"N": "1"}}})")), "PutItem");
  auto glue = ClientFor(endpoint, admin, "glue");
  Must(glue->Call("CreateDatabase", Json::parse(R"({"DatabaseInput": {"Name": "bench"}})")), "CreateDatabase");
  for (int i = 0; i < 50; ++i) {
    Json t = {{"DatabaseName", "bench"},
              {"TableInput", {{"Name", "t" + std::to_string(i)},
                              {"StorageDescriptor", {{"Columns", Json::array({{{"Name", "id"}, {"Type", "string"}}})},
                                                     {"Location", "s3://bench/t" + std::to_string(i) + "/"}}}}}};
    Must(glue->Call("CreateTable", t), "CreateTable");
  }
}

struct Result {
  double per_second;
  double p50_ms, p99_ms;
  size_t requests, errors;
};

Result Run(const std::string& endpoint, const datamesh::local::LocalAccountKeys& admin, const Operation& op,
           int connections, double seconds) {
  std::vector<std::shared_ptr<datamesh::aws::AwsClient>> clients;
  for (int i = 0; i < connections; ++i) {
    clients.push_back(ClientFor(endpoint, admin, op.service));
    Must(clients.back()->Call(op.action, op.input), op.name.c_str());  // the connection is open
  }
  std::atomic<bool> stop{false};
  std::vector<std::vector<double>> latencies(connections);
  std::vector<size_t> errors(connections, 0);
  std::vector<std::thread> threads;
  const auto start = Clock::now();
  for (int i = 0; i < connections; ++i) {
    threads.emplace_back([&, i] {
      while (!stop.load(std::memory_order_relaxed)) {
        auto t0 = Clock::now();
        auto r = clients[i]->Call(op.action, op.input);
        latencies[i].push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        if (!r.ok()) ++errors[i];
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& t : threads) t.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<double> all;
  size_t failed = 0;
  for (int i = 0; i < connections; ++i) {
    all.insert(all.end(), latencies[i].begin(), latencies[i].end());
    failed += errors[i];
  }
  std::sort(all.begin(), all.end());
  auto pct = [&](double p) { return all.empty() ? 0.0 : all[std::min(all.size() - 1, static_cast<size_t>(p * all.size()))]; };
  return {all.size() / elapsed, pct(0.5), pct(0.99), all.size(), failed};
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 3.0;
  const auto dir = std::filesystem::temp_directory_path() / ("datamesh-bench-serving-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  try {
    auto store = datamesh::local::OpenMeshFile((dir / "mesh.db").string());
    if (!store.ok()) throw std::runtime_error(store.error().ToString());
    auto keys = datamesh::local::InitializeLocalMesh(**store, datamesh::local::LocalMeshPlan{});
    if (!keys.ok()) throw std::runtime_error(keys.error().ToString());
    const auto admin = (*keys)[0];
    auto handler = std::make_shared<datamesh::local::MeshHandler>(*store, datamesh::aws::Clock::System());
    datamesh::local::HttpServer server(handler);
    if (auto s = server.Start("127.0.0.1", 0); !s.ok()) throw std::runtime_error(s.error().ToString());
    const std::string endpoint = "http://127.0.0.1:" + std::to_string(server.port());
    Prepare(endpoint, admin);
    const std::vector<Operation> operations = {
        {"sts:GetCallerIdentity", "sts", "GetCallerIdentity", Json::object()},
        {"dynamodb:GetItem", "dynamodb", "GetItem", Json::parse(R"({"TableName": "bench", "Key": {"id": {"S": "one"}}})")},
        {"glue:GetTable", "glue", "GetTable", Json::parse(R"({"DatabaseName": "bench", "Name": "t7"})")},
        {"lakeformation:ListPermissions", "lakeformation", "ListPermissions",
         Json::parse(R"({"Resource": {"Table": {"DatabaseName": "bench", "Name": "t7"}}})")}};
    for (const auto& op : operations) {
      for (int connections : {1, 8}) {
        Result r = Run(endpoint, admin, op, connections, seconds);
        std::cout << Json{{"operation", op.name}, {"connections", connections}, {"requests_per_second", r.per_second},
                          {"p50_ms", r.p50_ms}, {"p99_ms", r.p99_ms}, {"requests", r.requests}, {"errors", r.errors}}
                         .dump()
                  << std::endl;
      }
    }
    server.Stop();
  } catch (const std::exception& e) {
    std::cerr << "bench_serving: " << e.what() << std::endl;
    std::filesystem::remove_all(dir);
    return 1;
  }
  std::filesystem::remove_all(dir);
  return 0;
}
