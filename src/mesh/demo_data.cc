#include "mesh/demo_data.h"

#include "mesh/mesh_session.h"

namespace datamesh::mesh {

Outcome<nlohmann::json> CreateDemoSourceData(const MeshOptions& options, const std::string& database) {
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
  struct Table {
    const char* name;
    Json columns;
  };
  const std::vector<Table> tables = {
      {"orders", {{{"Name", "order_id"}, {"Type", "string"}}, {{"Name", "customer_id"}, {"Type", "string"}},
                  {{"Name", "amount"}, {"Type", "decimal(10,2)"}}}},
      {"customers", {{{"Name", "customer_id"}, {"Type", "string"}}, {{"Name", "name"}, {"Type", "string"}}}},
      {"products", {{{"Name", "product_id"}, {"Type", "string"}}, {{"Name", "price"}, {"Type", "double"}}}}};
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
    Json list = Json::array();
    for (const char* month : {"01", "02", "03"}) {
      list.push_back({{"Values", {"2025", month}},
                      {"StorageDescriptor", {{"Columns", t.columns}, {"Location", location + "year=2025/month=" + month + "/"}}}});
    }
    auto batch = glue.BatchCreatePartition({{"DatabaseName", database}, {"TableName", t.name}, {"PartitionInputList", list}});
    if (!batch.ok()) return batch.error();
    for (const auto& e : batch->value("Errors", Json::array())) {
      if (e["ErrorDetail"].value("ErrorCode", "") != "AlreadyExistsException") {
        return Error::Local("DemoDataFailed", e["ErrorDetail"].value("ErrorMessage", "partition failed"));
      }
    }
    partitions += 3;
  }
  return Json{{"Bucket", bucket}, {"Database", database}, {"Tables", names}, {"Partitions", partitions}};
}

}  // namespace datamesh::mesh
