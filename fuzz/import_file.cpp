#include "import_file.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "import/extended_json.h"
#include "import/file_sources.h"

namespace leadproc::fuzz {

namespace {

const std::filesystem::path& temp_dir() {
  static const std::filesystem::path dir = [] {
    char dir_template[] = "/tmp/leadproc-fuzz-import-XXXXXX";
    const char* made = ::mkdtemp(dir_template);
    if (made == nullptr) {
      std::perror("leadproc-fuzz: mkdtemp");
      std::abort();
    }
    return std::filesystem::path(made);
  }();
  return dir;
}

}  // namespace

void import_file(const std::uint8_t* data, std::size_t size, std::string_view extension) {
  if (size == 0) return;
  const auto all = import::collections();
  const auto& info = all[data[0] % all.size()];
  const auto file = temp_dir() / (std::string(info.name) + "." + std::string(extension));
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data + 1), static_cast<std::streamsize>(size - 1));
  }
  auto source = import::open_file(file);
  if (!source) return;
  while (auto doc = (*source)->next()) {
    if (!doc->document) continue;
    std::vector<FieldError> errors;
    std::vector<FieldError> warnings;
    auto plain = import::plain_value(*doc->document, "", errors, warnings);
    if (plain.is_object()) (void)import::decode(info.collection, plain.get_object());
  }
}

}  // namespace leadproc::fuzz
