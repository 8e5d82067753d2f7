// Decoding the bodies a browser's plain form post sends (issue 19 item 5, POST
// /api/v1/intake/forms/{formKey}): application/x-www-form-urlencoded (the WHATWG URL standard's
// application/x-www-form-urlencoded parser) and multipart/form-data (RFC 7578). Neither Boost 1.81
// nor Debian 12 has a parser for the latter that fits (Beast has none), hence this small strict
// one: a body it cannot read exactly is refused, never guessed at.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/result.h"

namespace leadproc::codec {

// The fields of a form, in the order sent (a name may repeat: a group of checkboxes).
using FormFields = std::vector<std::pair<std::string, std::string>>;

// "a=1&b=x+y&c=%C3%A9": '+' is a space, %XX a byte; an empty piece ("a=1&&b=2") is skipped, a
// piece without '=' is a field with an empty value. A '%' not followed by two hex digits is an
// error (a 422 naming "body").
Result<FormFields> parse_urlencoded(std::string_view body);

// The value of the `boundary` parameter of a multipart/form-data Content-Type (quoted or not);
// empty when there is none or it is not 1 to 70 characters.
std::string multipart_boundary(std::string_view content_type);

// The parts of a multipart/form-data body with `boundary`: each part must have a
// `Content-Disposition: form-data; name="..."` header; its body is the field's value. A part with
// a `filename` (a file upload) is refused: a lead form has no files. The preamble and epilogue
// are ignored; a body that does not end with the closing delimiter is refused.
Result<FormFields> parse_multipart(std::string_view body, std::string_view boundary);

}  // namespace leadproc::codec
