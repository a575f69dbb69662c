// Micro-benchmarks (Google Benchmark) of the local mesh's hot paths: a whole signed request answered
// in process (client signing, signature verification, IAM, the service, the store) for the calls a
// workflow sends most, and the key encoding every DynamoDB item write goes through.
#include <benchmark/benchmark.h>

#include <filesystem>

#include "aws/client/aws_session.h"
#include "local/accounts/local_mesh_setup.h"
#include "local/dynamodb/item_store.h"
#include "local/mesh_file.h"
#include "local/server/local_transport.h"

namespace {

using datamesh::aws::Json;

// One embedded local mesh for every benchmark of the process, with a table, an item and a Glue table.
class Mesh {
 public:
  static Mesh& Get() {
    static Mesh mesh;
    return mesh;
  }
  std::shared_ptr<datamesh::aws::AwsClient> Client(const std::string& service) { return *session_->Client(service); }

 private:
  Mesh() {
    dir_ = std::filesystem::temp_directory_path() / ("datamesh-bench-micro-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    auto store = *datamesh::local::OpenMeshFile((dir_ / "mesh.db").string());
    auto keys = *datamesh::local::InitializeLocalMesh(*store, datamesh::local::LocalMeshPlan{});
    datamesh::aws::SessionOptions o;
    o.endpoint_url = datamesh::local::kInProcessEndpoint;
    o.region = "us-east-1";
    datamesh::aws::Credentials credentials;
    credentials.access_key_id = keys[0].access_key_id;
    credentials.secret_access_key = keys[0].secret_access_key;
    o.credentials = credentials;
    o.environment = datamesh::aws::Environment();
    o.transport = std::make_shared<datamesh::local::LocalTransport>(
        std::make_shared<datamesh::local::MeshHandler>(store, datamesh::aws::Clock::System()));
    session_ = *datamesh::aws::AwsSession::Create(o);
    auto ddb = Client("dynamodb");
    (void)ddb->Call("CreateTable", Json::parse(R"({"TableName": "bench", "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]})"));
    (void)ddb->Call("PutItem", Json::parse(R"({"TableName": "bench", "Item": {"id": {"S": "one"}}})"));
    auto glue = Client("glue");
    (void)glue->Call("CreateDatabase", Json::parse(R"({"DatabaseInput": {"Name": "bench"}})"));
    (void)glue->Call("CreateTable", Json::parse(R"({"DatabaseName": "bench", "TableInput": {"Name": "t"}})"));
  }
  ~Mesh() { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
  std::shared_ptr<datamesh::aws::AwsSession> session_;
};

void Embedded(benchmark::State& state, const char* service, const char* operation, const char* input) {
  auto client = Mesh::Get().Client(service);
  const Json in = Json::parse(input);
  for (auto _ : state) {
    auto out = client->Call(operation, in);
    if (!out.ok()) state.SkipWithError(out.error().ToString().c_str());
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK_CAPTURE(Embedded, GetCallerIdentity, "sts", "GetCallerIdentity", "{}");
BENCHMARK_CAPTURE(Embedded, DynamoDbGetItem, "dynamodb", "GetItem", R"({"TableName": "bench", "Key": {"id": {"S": "one"}}})");
BENCHMARK_CAPTURE(Embedded, GlueGetTable, "glue", "GetTable", R"({"DatabaseName": "bench", "Name": "t"})");
BENCHMARK_CAPTURE(Embedded, LakeFormationListPermissions, "lakeformation", "ListPermissions",
                  R"({"Resource": {"Table": {"DatabaseName": "bench", "Name": "t"}}})");

void OrderedNumberKey(benchmark::State& state) {
  const Json value = {{"N", "-12345.678901234567890123"}};
  for (auto _ : state) benchmark::DoNotOptimize(datamesh::local::ddb::OrderedKeyBytes(value));
}
BENCHMARK(OrderedNumberKey);

}  // namespace

BENCHMARK_MAIN();
