// What the two import fuzz targets share: the input's first byte picks the collection, the rest
// is written to a temporary `<collection>.<extension>` file, which is read back as
// `leadproc import` reads it (import/file_sources.h) and every document is decoded as
// app/import_data.cpp decodes it (import::plain_value, then import::decode).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace leadproc::fuzz {

// `extension`: "json" (mongoexport) or "bson" (mongodump).
void import_file(const std::uint8_t* data, std::size_t size, std::string_view extension);

}  // namespace leadproc::fuzz
