// Statements of an S3 bucket policy that the mesh owns, each known by its Sid: added once,
// removed by Sid, everything else in the policy left as it is.
#pragma once

#include <string>

#include "aws/s3/s3_client.h"

namespace datamesh::mesh {

// Lets `principal` list the bucket and read its objects.
Status AllowBucketRead(aws::S3Client& s3, const std::string& bucket, const std::string& sid, const std::string& principal);

// Whether the bucket's policy has the statement `sid`.
Outcome<bool> HasBucketStatement(aws::S3Client& s3, const std::string& bucket, const std::string& sid);

// Removes the statement `sid`, and the policy itself when nothing else is left in it.
Status RemoveBucketStatement(aws::S3Client& s3, const std::string& bucket, const std::string& sid);

// "s3://bucket/prefix/" -> "bucket" ("" when the location is not in S3).
std::string BucketOf(const std::string& location);

}  // namespace datamesh::mesh
