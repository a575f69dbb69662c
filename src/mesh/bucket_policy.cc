#include "mesh/bucket_policy.h"

#include <optional>

namespace datamesh::mesh {
namespace {

using aws::Json;

// The bucket's policy (an empty one when it has none), its statements always a list.
Outcome<std::optional<Json>> CurrentPolicy(aws::S3Client& s3, const std::string& bucket) {
  auto current = s3.GetBucketPolicy({{"Bucket", bucket}});
  if (!current.ok()) {
    if (current.error().code() == "NoSuchBucketPolicy") return std::optional<Json>();
    return current.error();
  }
  Json policy = Json::parse((*current)["Policy"].get<std::string>(), nullptr, false);
  if (!policy.is_object()) return Error::Local("InvalidBucketPolicy", "the policy of bucket " + bucket + " is not JSON");
  if (!policy["Statement"].is_array()) policy["Statement"] = Json::array({policy["Statement"]});
  return std::optional<Json>(policy);
}

}  // namespace

std::string BucketOf(const std::string& location) {
  if (location.rfind("s3://", 0) != 0) return "";
  std::string path = location.substr(5);
  return path.substr(0, path.find('/'));
}

Status AllowBucketRead(aws::S3Client& s3, const std::string& bucket, const std::string& sid, const std::string& principal) {
  auto current = CurrentPolicy(s3, bucket);
  if (!current.ok()) return current.error();
  Json policy = current->value_or(Json{{"Version", "2012-10-17"}, {"Statement", Json::array()}});
  for (const auto& s : policy["Statement"]) {
    if (s.value("Sid", "") == sid) return OkStatus();
  }
  policy["Statement"].push_back({{"Sid", sid},
                                 {"Effect", "Allow"},
                                 {"Principal", {{"AWS", principal}}},
                                 {"Action", {"s3:GetObject", "s3:ListBucket"}},
                                 {"Resource", {"arn:aws:s3:::" + bucket, "arn:aws:s3:::" + bucket + "/*"}}});
  auto put = s3.PutBucketPolicy({{"Bucket", bucket}, {"Policy", policy.dump()}});
  if (!put.ok()) return put.error();
  return OkStatus();
}

Outcome<bool> HasBucketStatement(aws::S3Client& s3, const std::string& bucket, const std::string& sid) {
  auto current = CurrentPolicy(s3, bucket);
  if (!current.ok()) return current.error();
  if (!*current) return false;
  for (const auto& s : (**current)["Statement"]) {
    if (s.value("Sid", "") == sid) return true;
  }
  return false;
}

Status RemoveBucketStatement(aws::S3Client& s3, const std::string& bucket, const std::string& sid) {
  auto current = CurrentPolicy(s3, bucket);
  if (!current.ok()) return current.error();
  if (!*current) return OkStatus();
  Json policy = **current;
  Json kept = Json::array();
  for (const auto& s : policy["Statement"]) {
    if (s.value("Sid", "") != sid) kept.push_back(s);
  }
  if (kept.size() == policy["Statement"].size()) return OkStatus();
  if (kept.empty()) {
    auto d = s3.DeleteBucketPolicy({{"Bucket", bucket}});
    if (!d.ok()) return d.error();
    return OkStatus();
  }
  policy["Statement"] = kept;
  auto put = s3.PutBucketPolicy({{"Bucket", bucket}, {"Policy", policy.dump()}});
  if (!put.ok()) return put.error();
  return OkStatus();
}

}  // namespace datamesh::mesh
