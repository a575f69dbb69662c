// The local S3, for what the mesh needs of it: buckets (one global namespace, owned by one
// account, in one region) and their policies.
#pragma once

#include "local/core/local_service.h"

namespace datamesh::local {

class S3Service : public LocalService {
 public:
  std::string name() const override { return "s3"; }
  std::string validation_error_code() const override { return "InvalidArgument"; }
  Outcome<Json> Invoke(const std::string& operation, const Json& input, RequestContext& ctx) override;

 private:
  Outcome<Json> CreateBucket(const Json& in, RequestContext& ctx);
  // The caller's account's buckets, in name order (ListBuckets has no paging in the model the
  // local mesh serves).
  Outcome<Json> ListBuckets(const Json& in, RequestContext& ctx);
  Outcome<Json> HeadBucket(const Json& in, RequestContext& ctx);
  Outcome<Json> GetBucketPolicy(const Json& in, RequestContext& ctx);
  Outcome<Json> PutBucketPolicy(const Json& in, RequestContext& ctx);
  Outcome<Json> DeleteBucketPolicy(const Json& in, RequestContext& ctx);
};

// Whether `name` follows S3's bucket naming rules.
bool IsValidBucketName(const std::string& name);

}  // namespace datamesh::local
