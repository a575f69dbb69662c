#include "local/server/mesh_handler.h"

#include <spdlog/spdlog.h>

#include "aws/core/time_format.h"
#include "aws/iam/iam_policy_documents.h"
#include "aws/protocol/param_validator.h"
#include "aws/protocol/protocol_codec.h"
#include "aws/protocol/query_codec.h"
#include "local/auth/request_authenticator.h"
#include "local/core/ids.h"
#include "local/dynamodb/dynamodb_service.h"
#include "local/dynamodb/dynamodb_streams_service.h"
#include "local/glue/glue_service.h"
#include "local/iam/iam_service.h"
#include "local/lakeformation/lakeformation_service.h"
#include "local/ram/ram_service.h"
#include "local/s3/s3_service.h"
#include "local/sts/sts_service.h"

namespace datamesh::local {
namespace {

constexpr char kDefaultRegion[] = "us-east-1";

struct Answer {
  std::string operation;
  Json output;
};

// Operations that only read run in a read transaction, concurrently with each other and with a
// writer. AWS names its reads this way in every service the local mesh serves.
bool IsReadOperation(const std::string& operation) {
  for (const char* verb : {"Get", "List", "Describe", "Query", "Scan", "BatchGet", "Search", "Head"}) {
    if (operation.rfind(verb, 0) == 0) return true;
  }
  return false;
}

}  // namespace

MeshHandler::MeshHandler(std::shared_ptr<Store> store, std::shared_ptr<aws::Clock> clock)
    : store_(std::move(store)), clock_(std::move(clock)) {
  for (auto* s : std::initializer_list<LocalService*>{new IamService(), new StsService(), new S3Service(),
                                                      new DynamoDbService(), new DynamoDbStreamsService(), new GlueService(),
                                                      new LakeFormationService(), new RamService()}) {
    services_[s->name()].reset(s);
  }
}

std::string MeshHandler::RecognizeService(const aws::HttpRequest& request) const {
  // DynamoDB Streams signs as "dynamodb": its target names it.
  if (auto target = request.headers.Get("X-Amz-Target"); target && target->rfind("DynamoDBStreams_", 0) == 0) {
    return "dynamodbstreams";
  }
  // The credential scope names the service whenever the request is signed.
  auto info = ReadSignatureInfo(request);
  if (info.ok() && *info && aws::ServiceModel::Get((*info)->service)) return (*info)->service;
  if (auto target = request.headers.Get("X-Amz-Target")) {
    if (target->rfind("AWSGlue.", 0) == 0) return "glue";
    if (target->rfind("DynamoDB_", 0) == 0) return "dynamodb";
  }
  auto params = aws::ReceivedQueryParams(request);
  if (auto action = params.find("Action"); action != params.end()) {
    return aws::ServiceModel::Get("sts")->FindOperation(action->second) ? "sts" : "iam";
  }
  for (const char* rest : {"lakeformation", "ram"}) {
    const auto* model = aws::ServiceModel::Get(rest);
    if (aws::ProtocolCodec::For(model->protocol())->MatchOperation(*model, request)) return rest;
  }
  return "s3";
}

aws::HttpResponse MeshHandler::Handle(const aws::HttpRequest& request) {
  const std::string request_id = NewRequestId();
  if (request.path == "/_datamesh/health") {
    aws::HttpResponse r;
    r.status = 200;
    r.headers.Set("Content-Type", "application/json");
    r.body = R"({"status":"ok"})";
    return r;
  }
  const std::string service_name = RecognizeService(request);
  const aws::ServiceModel* model = aws::ServiceModel::Get(service_name);
  const aws::ProtocolCodec* codec = aws::ProtocolCodec::For(model->protocol());
  auto service_it = services_.find(service_name);

  auto finish = [&](aws::HttpResponse r) {
    if (request.method == "HEAD") r.body.clear();
    // As AWS does: the server's clock, from which clients correct their skew.
    r.headers.Set("Date", aws::FormatHttpDate(clock_->Now()));
    return r;
  };
  if (service_it == services_.end()) {
    return finish(codec->SerializeError(
        *model, Error("NotImplemented", "The local mesh does not serve " + service_name + " yet.", ErrorKind::kClient, 501),
        request_id));
  }
  LocalService& service = *service_it->second;

  const auto operation = codec->MatchOperation(*model, request);
  auto serve = [&](Transaction& tx) -> Outcome<Answer> {
    aws::SystemTime now = clock_->Now();
    auto caller = Authenticate(request, service_name, tx, now);
    if (!caller.ok()) return caller.error();
    if (!operation) {
      return Error(service_name == "iam" || service_name == "sts" ? "InvalidAction" : "UnknownOperationException",
                   "The requested operation is not supported by " + service_name + ".", ErrorKind::kClient, 400);
    }
    auto input = codec->ParseRequest(*model, *operation, request);
    if (!input.ok()) return input.error();
    const Json* op = model->FindOperation(*operation);
    if (auto v = aws::ValidateInput(*model, model->InputShape(*op), *input, aws::ValidationMode::kServer); !v.ok()) {
      return Error(service.validation_error_code(), v.error().message(), ErrorKind::kClient, 400);
    }
    auto info = ReadSignatureInfo(request);
    RequestContext ctx{request, *caller, (*info)->region.empty() ? kDefaultRegion : (*info)->region, tx, now,
                       request_id};
    auto output = service.Invoke(*operation, *input, ctx);
    if (!output.ok()) return output.error();
    return Answer{*operation, std::move(*output)};
  };
  auto answer = operation && IsReadOperation(*operation) ? store_->Read<Answer>(serve) : store_->Write<Answer>(serve);

  if (!answer.ok()) {
    const Error& e = answer.error();
    if (e.http_status() >= 500) spdlog::warn("{} request {} failed: {}", service_name, request_id, e.ToString());
    return finish(codec->SerializeError(*model, e, request_id));
  }
  Json output = std::move(answer->output);
  if (service_name == "iam") {
    aws::EncodeIamPolicyDocuments(*model, model->OutputShape(*model->FindOperation(answer->operation)), output);
  }
  return finish(codec->SerializeResponse(*model, answer->operation, output, request_id));
}

}  // namespace datamesh::local
