// The text of src/http/openapi_description.json, embedded at build time (cmake/embed_text.cmake).
#pragma once

#include <string_view>

namespace leadproc::http {

std::string_view openapi_description_text();

}  // namespace leadproc::http
