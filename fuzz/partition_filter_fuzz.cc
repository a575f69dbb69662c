// Glue's partition filter expressions (GetPartitions Expression) as the local mesh parses and
// evaluates them, over partition keys of each type.
#include "fuzz_input.h"
#include "local/glue/partition_filter.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  datamesh::fuzz::FuzzInput in(data, size);
  const nlohmann::json keys = {{{"Name", "year"}, {"Type", "int"}},
                               {{"Name", "month"}, {"Type", "string"}},
                               {{"Name", "day"}, {"Type", "date"}},
                               {{"Name", "amount"}, {"Type", "double"}}};
  const nlohmann::json values = {in.Field(), in.Field(), in.Field(), in.Field()};
  auto filter = datamesh::local::glue::PartitionFilter::Parse(in.Rest(), keys);
  if (filter.ok()) (void)(*filter)->Matches(values);
  return 0;
}
