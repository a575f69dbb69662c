#include "mesh/demo_data.h"

#include "mesh/mesh_session.h"

#include <algorithm>
#include <cstdio>

namespace datamesh::mesh {

namespace {

struct Table {
  std::string name;
  Json columns;
};

std::vector<Table> TablesOf(const DemoDataShape& shape) {
  if (shape.tables == 0) {
    return {{"orders", {{{"Name", "order_id"}, {"Type", "string"}}, {{"Name", "customer_id"}, {"Type", "string"}},
                        {{"Name", "amount"}, {"Type", "decimal(10,2)"}}}},
            {"customers", {{{"Name", "customer_id"}, {"Type", "string"}}, {{"Name", "name"}, {"Type", "string"}}}},
            {"products", {{{"Name", "product_id"}, {"Type", "string"}}, {{"Name", "price"}, {"Type", "double"}}}}};
  }
  std::vector<Table> out;
  for (int i = 1; i <= shape.tables; ++i) {
    char name[16];
    std::snprintf(name, sizeof(name), "t%05d", i);
    out.push_back({name, {{{"Name", "id"}, {"Type", "string"}}, {{"Name", "value"}, {"Type", "double"}}}});
  }
  return out;
}

// The partition values of the i-th partition: a year and a month, counting months from 2025-01.
Json PartitionValues(int i) {
  char month[3];
  std::snprintf(month, sizeof(month), "%02d", i % 12 + 1);
  return {std::to_string(2025 + i / 12), month};
}

}  // namespace

Outcome<nlohmann::json> CreateDemoSourceData(const MeshOptions& options, const std::string& database,
                                             const DemoDataShape& shape) {
  if (shape.tables < 0 || shape.tables > 10000) {
    return Error::Local("InvalidArgument", "--tables must be between 1 and 10000");
  }
  if (shape.partitions < 0 || shape.partitions > 1000) {
    return Error::Local("InvalidArgument", "--partitions must be between 0 and 1000");
  }
  auto session = MeshSession::Create(options);
  if (!session.ok()) return session.error();
  auto id = (*session)->Identity();
  if (!id.ok()) return id.error();
  const std::string bucket = "datamesh-demo-" + id->account;
  auto s3 = (*session)->S3();
  Json bucket_input = {{"Bucket", bucket}};
  if ((*session)->region() != "us-east-1") {
    bucket_input["CreateBucketConfiguration"] = {{"LocationConstraint", (*session)->region()}};
  }
  auto created = s3.CreateBucket(bucket_input);
  if (!created.ok() && created.error().code() != "BucketAlreadyOwnedByYou") return created.error();

  auto glue = (*session)->Glue();
  auto db = glue.CreateDatabase({{"DatabaseInput", {{"Name", database}, {"Description", "Example sales data"}}}});
  if (!db.ok() && db.error().code() != "AlreadyExistsException") return db.error();
  const std::vector<Table> tables = TablesOf(shape);
  int partitions = 0;
  Json names = Json::array();
  for (const auto& t : tables) {
    const std::string location = "s3://" + bucket + "/" + database + "/" + t.name + "/";
    Json input = {{"Name", t.name},
                  {"TableType", "EXTERNAL_TABLE"},
                  {"Parameters", {{"classification", "parquet"}}},
                  {"PartitionKeys", {{{"Name", "year"}, {"Type", "string"}}, {{"Name", "month"}, {"Type", "string"}}}},
                  {"StorageDescriptor", {{"Columns", t.columns}, {"Location", location},
                                         {"InputFormat", "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"},
                                         {"OutputFormat", "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"},
                                         {"SerdeInfo", {{"SerializationLibrary",
                                                         "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"}}}}}};
    auto table = glue.CreateTable({{"DatabaseName", database}, {"TableInput", input}});
    if (!table.ok() && table.error().code() != "AlreadyExistsException") return table.error();
    names.push_back(t.name);
    // BatchCreatePartition takes at most 100 partitions a call.
    for (int first = 0; first < shape.partitions; first += 100) {
      Json list = Json::array();
      for (int i = first; i < std::min(shape.partitions, first + 100); ++i) {
        Json values = PartitionValues(i);
        list.push_back({{"Values", values},
                        {"StorageDescriptor", {{"Columns", t.columns},
                                               {"Location", location + "year=" + values[0].get<std::string>() +
                                                                "/month=" + values[1].get<std::string>() + "/"}}}});
      }
      auto batch = glue.BatchCreatePartition({{"DatabaseName", database}, {"TableName", t.name}, {"PartitionInputList", list}});
      if (!batch.ok()) return batch.error();
      for (const auto& e : batch->value("Errors", Json::array())) {
        if (e["ErrorDetail"].value("ErrorCode", "") != "AlreadyExistsException") {
          return Error::Local("DemoDataFailed", e["ErrorDetail"].value("ErrorMessage", "partition failed"));
        }
      }
    }
    partitions += shape.partitions;
  }
  return Json{{"Bucket", bucket}, {"Database", database}, {"Tables", names}, {"Partitions", partitions}};
}

}  // namespace datamesh::mesh
