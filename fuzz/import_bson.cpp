// Fuzz target: a mongodump file (concatenated BSON documents, read by libbson and rendered as
// relaxed Extended JSON) through the import's reader and decoders (import_file.h). First byte:
// the collection.
#include "import_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  leadproc::fuzz::import_file(data, size, "bson");
  return 0;
}
