#include "local/s3/s3_service.h"

#include <zlib.h>

#include "aws/core/crypto.h"
#include "aws/core/encoding.h"
#include "aws/core/time_format.h"
#include "local/core/arn.h"
#include "local/iam/iam_store.h"
#include "local/policy/authorizer.h"

namespace datamesh::local {
namespace {

constexpr char kBucketKind[] = "s3_bucket";  // global: key = bucket name
constexpr size_t kMaxPolicyBytes = 20 * 1024;
const AccessDeniedStyle kS3Denied{"AccessDenied", 403};

Error NoSuchBucket() { return ServiceFault("NoSuchBucket", "The specified bucket does not exist", 404); }
Error MalformedPolicy(const std::string& why) { return ServiceFault("MalformedPolicy", why, 400); }

std::string BucketArn(const std::string& bucket) { return "arn:aws:s3:::" + bucket; }

// Bucket policy operations belong to the owner account alone, and then to whom its policies allow.
Outcome<Json> OwnedBucket(RequestContext& ctx, const std::string& bucket, const std::string& action) {
  auto doc = ctx.tx.Get(Scope::Global(), kBucketKind, bucket);
  if (!doc) return NoSuchBucket();
  if ((*doc)["Account"] != ctx.caller.account) return ServiceFault("AccessDenied", "Access Denied", 403);
  if (IdentityDecision(ctx, action, BucketArn(bucket)) != Decision::kAllow) {
    return ServiceFault("AccessDenied", "Access Denied", 403);
  }
  return *doc;
}

Status CheckBucketPolicy(RequestContext& ctx, const std::string& bucket, const std::string& text) {
  if (text.empty() || text.find_first_not_of(" \t\r\n") == std::string::npos ||
      text[text.find_first_not_of(" \t\r\n")] != '{') {
    return MalformedPolicy("Policies must be valid JSON and the first byte must be '{'");
  }
  if (text.size() > kMaxPolicyBytes) return MalformedPolicy("Policy exceeds the maximum allowed document size.");
  auto doc = ParsePolicyDocument(text, PolicyKind::kResource);
  if (!doc.ok()) return MalformedPolicy(doc.error().message());
  for (const auto& s : doc->statements) {
    for (const auto& a : s.actions) {
      if (a != "*" && aws::ToLower(a).rfind("s3:", 0) != 0) return MalformedPolicy("Policy has invalid action");
    }
    for (const auto& r : s.resources) {
      const std::string arn = BucketArn(bucket);
      if (r != arn && r.rfind(arn + "/", 0) != 0) return MalformedPolicy("Policy has invalid resource");
    }
    for (const auto& p : s.principals.aws) {
      auto arn = Arn::Parse(p);
      if (!arn || arn->resource == "root" || arn->service != "iam") continue;
      const char* kind = arn->resource.rfind("role/", 0) == 0 ? kinds::kRole
                         : arn->resource.rfind("user/", 0) == 0 ? kinds::kUser : nullptr;
      auto entity = kind ? ctx.tx.Get(IamScope(arn->account), kind, aws::ToLower(arn->resource.substr(arn->resource.rfind('/') + 1)))
                         : std::nullopt;
      if (!entity || (*entity)["Arn"] != p) return MalformedPolicy("Invalid principal in policy");
    }
  }
  return OkStatus();
}

}  // namespace

bool IsValidBucketName(const std::string& name) {
  if (name.size() < 3 || name.size() > 63) return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-')) return false;
  }
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!alnum(name.front()) || !alnum(name.back())) return false;
  if (name.find("..") != std::string::npos || name.rfind("xn--", 0) == 0) return false;
  int dots = 0;
  bool all_digits_and_dots = true;
  for (char c : name) {
    dots += c == '.';
    all_digits_and_dots &= (c == '.' || (c >= '0' && c <= '9'));
  }
  return !(dots == 3 && all_digits_and_dots);  // not an IP address
}

namespace {

// ExpectedBucketOwner (S3 API Reference): a bucket owned by another account answers 403.
Status CheckExpectedOwner(RequestContext& ctx, const Json& in) {
  if (!in.contains("ExpectedBucketOwner") || !in.contains("Bucket")) return OkStatus();
  auto doc = ctx.tx.Get(Scope::Global(), kBucketKind, in["Bucket"]);
  if (doc && (*doc)["Account"] != in["ExpectedBucketOwner"]) return ServiceFault("AccessDenied", "Access Denied", 403);
  return OkStatus();
}

// What CreateBucket may ask for beyond the defaults: ACL grants and object lock are not modelled
// (S3 answers NotImplemented for functionality it does not have); the default private ACL and
// bucket-owner-enforced ownership are what every bucket gets.
Status CheckCreateBucketOptions(const Json& in) {
  auto not_implemented = [](const std::string& what) {
    return ServiceFault("NotImplemented", what + " is not supported by the local mesh", 501);
  };
  if (in.contains("ACL") && in["ACL"] != "private") return not_implemented("ACL " + in["ACL"].get<std::string>());
  for (const char* grant : {"GrantFullControl", "GrantRead", "GrantReadACP", "GrantWrite", "GrantWriteACP"}) {
    if (in.contains(grant)) return not_implemented(grant);
  }
  if (in.value("ObjectLockEnabledForBucket", false)) return not_implemented("ObjectLockEnabledForBucket");
  if (in.contains("ObjectOwnership") && in["ObjectOwnership"] != "BucketOwnerEnforced") {
    return not_implemented("ObjectOwnership " + in["ObjectOwnership"].get<std::string>());
  }
  return OkStatus();
}

// PutBucketPolicy requires an integrity check of its body ("httpChecksum" with requestChecksumRequired
// in the model): Content-MD5, or, as SDKs since 2025 send instead, an x-amz-checksum-* header
// ("Checking object integrity", S3 User Guide). CRC32 (zlib) and SHA-256 are checked here.
Status CheckBodyIntegrity(const aws::HttpRequest& request) {
  if (auto md5 = request.headers.Get("Content-MD5")) {
    auto digest = aws::Base64Decode(*md5);
    if (!digest || digest->size() != 16) return ServiceFault("InvalidDigest", "The Content-MD5 you specified was invalid.", 400);
    if (*digest != aws::Md5(request.body)) {
      return ServiceFault("BadDigest", "The Content-MD5 you specified did not match what we received.", 400);
    }
    return OkStatus();
  }
  auto mismatch = [](const char* algorithm) {
    return ServiceFault("BadDigest", std::string("The ") + algorithm + " you specified did not match the calculated checksum.", 400);
  };
  if (auto crc = request.headers.Get("x-amz-checksum-crc32")) {
    const uLong value = crc32(0L, reinterpret_cast<const Bytef*>(request.body.data()), static_cast<uInt>(request.body.size()));
    std::string bytes = {static_cast<char>(value >> 24 & 0xff), static_cast<char>(value >> 16 & 0xff),
                         static_cast<char>(value >> 8 & 0xff), static_cast<char>(value & 0xff)};
    return aws::Base64Encode(bytes) == *crc ? OkStatus() : Status(mismatch("CRC32"));
  }
  if (auto sha = request.headers.Get("x-amz-checksum-sha256")) {
    return aws::Base64Encode(aws::Sha256(request.body)) == *sha ? OkStatus() : Status(mismatch("SHA256"));
  }
  for (const char* other : {"x-amz-checksum-crc32c", "x-amz-checksum-sha1", "x-amz-checksum-crc64nvme"}) {
    if (request.headers.Get(other)) {
      return ServiceFault("InvalidRequest", std::string(other) + " is not supported by the local mesh; use Content-MD5, "
                                            "x-amz-checksum-crc32 or x-amz-checksum-sha256", 400);
    }
  }
  return ServiceFault("InvalidRequest", "Missing required header for this request: Content-MD5", 400);
}

}  // namespace

Outcome<Json> S3Service::Invoke(const std::string& operation, const Json& input, RequestContext& ctx) {
  if (auto s = CheckExpectedOwner(ctx, input); !s.ok()) return s.error();
  if (operation == "CreateBucket") {
    if (auto s = CheckCreateBucketOptions(input); !s.ok()) return s.error();
  }
  if (operation == "CreateBucket") return CreateBucket(input, ctx);
  if (operation == "ListBuckets") return ListBuckets(input, ctx);
  if (operation == "HeadBucket") return HeadBucket(input, ctx);
  if (operation == "GetBucketPolicy") return GetBucketPolicy(input, ctx);
  if (operation == "PutBucketPolicy") return PutBucketPolicy(input, ctx);
  if (operation == "DeleteBucketPolicy") return DeleteBucketPolicy(input, ctx);
  return ServiceFault("NotImplemented", "A header you provided implies functionality that is not implemented", 501);
}

Outcome<Json> S3Service::CreateBucket(const Json& in, RequestContext& ctx) {
  const std::string bucket = in["Bucket"];
  if (!IsValidBucketName(bucket)) return ServiceFault("InvalidBucketName", "The specified bucket is not valid.", 400);
  if (auto s = Authorize(ctx, "s3:CreateBucket", BucketArn(bucket), kS3Denied); !s.ok()) return s.error();
  std::string location;
  if (in.contains("CreateBucketConfiguration")) location = in["CreateBucketConfiguration"].value("LocationConstraint", "");
  if (location == "us-east-1") {
    return ServiceFault("InvalidLocationConstraint", "The specified location-constraint is not valid", 400);
  }
  if (location.empty() && ctx.region != "us-east-1") {
    return ServiceFault("IllegalLocationConstraintException",
                        "The unspecified location constraint is incompatible for the region specific endpoint "
                        "this request was sent to.", 400);
  }
  if (!location.empty() && location != ctx.region) {
    return ServiceFault("IllegalLocationConstraintException",
                        "The " + location + " location constraint is incompatible for the region specific "
                        "endpoint this request was sent to.", 400);
  }
  if (auto existing = ctx.tx.Get(Scope::Global(), kBucketKind, bucket)) {
    if ((*existing)["Account"] != ctx.caller.account) {
      return ServiceFault("BucketAlreadyExists",
                          "The requested bucket name is not available. The bucket namespace is shared by all users "
                          "of the system. Please select a different name and try again.", 409);
    }
    // us-east-1 keeps S3's legacy answer: creating a bucket you already own there succeeds.
    if ((*existing)["Region"] == "us-east-1" && ctx.region == "us-east-1") return Json{{"Location", "/" + bucket}};
    return ServiceFault("BucketAlreadyOwnedByYou",
                        "Your previous request to create the named bucket succeeded and you already own it.", 409);
  }
  ctx.tx.Put(Scope::Global(), kBucketKind, bucket,
             {{"Name", bucket}, {"Account", ctx.caller.account}, {"Region", location.empty() ? "us-east-1" : location},
              {"CreationDate", aws::FormatIso8601(ctx.now)}});
  return Json{{"Location", "/" + bucket}};
}

Outcome<Json> S3Service::ListBuckets(const Json&, RequestContext& ctx) {
  if (auto s = Authorize(ctx, "s3:ListAllMyBuckets", "*", kS3Denied); !s.ok()) return s.error();
  Json buckets = Json::array();
  for (auto& [name, doc] : ctx.tx.List(Scope::Global(), kBucketKind)) {
    if (doc["Account"] == ctx.caller.account) buckets.push_back({{"Name", name}, {"CreationDate", doc["CreationDate"]}});
  }
  // The owner's canonical user id: 64 hex digits, stable for the account.
  const std::string canonical = aws::HexEncode(aws::Sha256("canonical-user:" + ctx.caller.account));
  return Json{{"Buckets", buckets}, {"Owner", {{"ID", canonical}, {"DisplayName", "account-" + ctx.caller.account}}}};
}

Outcome<Json> S3Service::HeadBucket(const Json& in, RequestContext& ctx) {
  const std::string bucket = in["Bucket"];
  auto doc = ctx.tx.Get(Scope::Global(), kBucketKind, bucket);
  if (!doc) return ServiceFault("NotFound", "Not Found", 404);
  bool owner = (*doc)["Account"] == ctx.caller.account;
  Decision identity = IdentityDecision(ctx, "s3:ListBucket", BucketArn(bucket));
  bool allowed = owner && identity == Decision::kAllow;
  if (!owner && doc->contains("Policy") && identity == Decision::kAllow) {
    auto policy = ParsePolicyDocument((*doc)["Policy"], PolicyKind::kResource);
    RequestFacts facts{"s3:ListBucket", BucketArn(bucket), &ctx.caller, GlobalConditionKeys(ctx.caller)};
    allowed = policy.ok() && EvaluateResourcePolicy(*policy, facts).decision == Decision::kAllow;
  }
  if (!allowed) return ServiceFault("Forbidden", "Forbidden", 403);
  return Json::object();
}

Outcome<Json> S3Service::GetBucketPolicy(const Json& in, RequestContext& ctx) {
  auto doc = OwnedBucket(ctx, in["Bucket"], "s3:GetBucketPolicy");
  if (!doc.ok()) return doc.error();
  if (!doc->contains("Policy")) {
    return ServiceFault("NoSuchBucketPolicy", "The bucket policy does not exist", 404);
  }
  return Json{{"Policy", (*doc)["Policy"]}};
}

Outcome<Json> S3Service::PutBucketPolicy(const Json& in, RequestContext& ctx) {
  const std::string bucket = in["Bucket"];
  auto doc = OwnedBucket(ctx, bucket, "s3:PutBucketPolicy");
  if (!doc.ok()) return doc.error();
  const std::string policy = in.value("Policy", "");
  if (auto s = CheckBodyIntegrity(ctx.request); !s.ok()) return s.error();
  if (auto s = CheckBucketPolicy(ctx, bucket, policy); !s.ok()) return s.error();
  (*doc)["Policy"] = policy;
  ctx.tx.Put(Scope::Global(), kBucketKind, bucket, *doc);
  return Json::object();
}

Outcome<Json> S3Service::DeleteBucketPolicy(const Json& in, RequestContext& ctx) {
  const std::string bucket = in["Bucket"];
  auto doc = OwnedBucket(ctx, bucket, "s3:DeleteBucketPolicy");
  if (!doc.ok()) return doc.error();
  doc->erase("Policy");
  ctx.tx.Put(Scope::Global(), kBucketKind, bucket, *doc);
  return Json::object();
}

}  // namespace datamesh::local
