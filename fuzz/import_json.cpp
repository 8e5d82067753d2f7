// Fuzz target: a mongoexport file (Extended JSON, one document a line or a JSON array) through
// the import's reader and decoders (import_file.h). First byte: the collection.
#include "import_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  leadproc::fuzz::import_file(data, size, "json");
  return 0;
}
