#include "mesh/change_report.h"

#include <map>

namespace datamesh::mesh {
namespace {

using aws::Json;

std::string Text(const Json& input, const char* key) {
  return input.contains(key) && input[key].is_string() ? input[key].get<std::string>() : "";
}

// The thing an operation makes, named from its input ("" for operations that make nothing).
std::string Made(const std::string& service, const std::string& operation, const Json& input) {
  if (service == "iam") {
    if (operation == "CreateRole") return "IAM role " + Text(input, "RoleName");
    if (operation == "CreatePolicy") return "IAM policy " + Text(input, "PolicyName");
    if (operation == "CreateUser") return "IAM user " + Text(input, "UserName");
    if (operation == "CreateGroup") return "IAM group " + Text(input, "GroupName");
    if (operation == "CreateServiceLinkedRole") return "service-linked role of " + Text(input, "AWSServiceName");
  }
  if (service == "glue") {
    if (operation == "CreateDatabase") {
      const Json db = input.value("DatabaseInput", Json::object());
      return (db.contains("TargetDatabase") ? "Glue resource link " : "Glue database ") + Text(db, "Name");
    }
    if (operation == "CreateTable") {
      const Json table = input.value("TableInput", Json::object());
      return (table.contains("TargetTable") ? "Glue resource link " : "Glue table ") + Text(input, "DatabaseName") + "." +
             Text(table, "Name");
    }
    if (operation == "CreateCrawler") return "Glue crawler " + Text(input, "Name");
  }
  if (service == "lakeformation") {
    if (operation == "RegisterResource") return "Lake Formation location " + Text(input, "ResourceArn");
    if (operation == "CreateLFTag") return "LF-tag " + Text(input, "TagKey");
  }
  if (service == "dynamodb" && operation == "CreateTable") return "DynamoDB table " + Text(input, "TableName");
  if (service == "s3" && operation == "CreateBucket") return "S3 bucket " + Text(input, "Bucket");
  return "";
}

bool MeansItExists(const Error& e) {
  static const std::map<std::string, bool> kCodes = {{"EntityAlreadyExists", true},
                                                     {"AlreadyExistsException", true},
                                                     {"ResourceInUseException", true},  // DynamoDB CreateTable
                                                     {"BucketAlreadyOwnedByYou", true}};
  return kCodes.count(e.code()) > 0;
}

}  // namespace

std::optional<Change> ChangeOf(const std::string& service, const std::string& operation, const Json& input,
                               const Error* error) {
  std::string what = Made(service, operation, input);
  if (what.empty()) return std::nullopt;
  if (!error) return Change{true, what};
  if (MeansItExists(*error)) return Change{false, what};
  return std::nullopt;
}

}  // namespace datamesh::mesh
