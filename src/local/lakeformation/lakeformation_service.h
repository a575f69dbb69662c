// The local Lake Formation: data lake settings, grants and revokes (single and batch), listing
// permissions, registered data locations, and LF-tags.
#pragma once

#include "local/core/local_service.h"

namespace datamesh::local {

class LakeFormationService : public LocalService {
 public:
  std::string name() const override { return "lakeformation"; }
  std::string validation_error_code() const override { return "InvalidInputException"; }
  Outcome<Json> Invoke(const std::string& operation, const Json& input, RequestContext& ctx) override;
};

namespace lf {
Outcome<Json> GetDataLakeSettings(const Json& in, RequestContext& ctx);
Outcome<Json> PutDataLakeSettings(const Json& in, RequestContext& ctx);
Outcome<Json> GrantPermissions(const Json& in, RequestContext& ctx);
Outcome<Json> RevokePermissions(const Json& in, RequestContext& ctx);
Outcome<Json> BatchGrantPermissions(const Json& in, RequestContext& ctx);
Outcome<Json> BatchRevokePermissions(const Json& in, RequestContext& ctx);
Outcome<Json> ListPermissions(const Json& in, RequestContext& ctx);
Outcome<Json> RegisterResource(const Json& in, RequestContext& ctx);
Outcome<Json> DeregisterResource(const Json& in, RequestContext& ctx);
Outcome<Json> DescribeResource(const Json& in, RequestContext& ctx);
Outcome<Json> CreateLFTag(const Json& in, RequestContext& ctx);
Outcome<Json> GetLFTag(const Json& in, RequestContext& ctx);
Outcome<Json> UpdateLFTag(const Json& in, RequestContext& ctx);
Outcome<Json> AddLFTagsToResource(const Json& in, RequestContext& ctx);
Outcome<Json> GetResourceLFTags(const Json& in, RequestContext& ctx);
// LF-tags of the catalog (those the caller may see), with ResourceShareType FOREIGN those other
// catalogs granted the caller's account, ALL both.
Outcome<Json> ListLFTags(const Json& in, RequestContext& ctx);

// The registered data locations, with ListResources' filter conditions.
Outcome<Json> ListResources(const Json& in, RequestContext& ctx);

inline constexpr char kLocationKind[] = "lf_location";
inline constexpr char kTagKind[] = "lf_tag";
// NextToken/MaxResults paging over items already in order ("NextToken" is the next index).
Outcome<Json> PageOfItems(const Json& items, const Json& in, const char* list_name);
}  // namespace lf

}  // namespace datamesh::local
