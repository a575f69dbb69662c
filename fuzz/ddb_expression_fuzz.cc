// DynamoDB's expression grammar as the local mesh parses it: condition (and key condition and
// filter), update and projection expressions, with placeholder names and values resolved.
#include "fuzz_input.h"
#include "local/dynamodb/expression.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using datamesh::local::ddb::ExpressionContext;
  datamesh::fuzz::FuzzInput in(data, size);
  const uint8_t kind = in.Byte();
  const nlohmann::json names = {{"#a", "Status"}, {"#b", "Owner"}, {"#" + in.Field(), "Name"}};
  const nlohmann::json values = {{":v", {{"S", "x"}}}, {":n", {{"N", "1"}}}, {":l", {{"L", nlohmann::json::array({{{"S", "a"}}})}}}};
  auto context = ExpressionContext::Make(names, values);
  if (!context.ok()) return 0;
  const std::string text = in.Rest();
  switch (kind % 3) {
    case 0: (void)context->ParseCondition(text, "ConditionExpression"); break;
    case 1: (void)context->ParseUpdate(text); break;
    default: (void)context->ParseProjection(text); break;
  }
  (void)context->CheckAllUsed();
  return 0;
}
