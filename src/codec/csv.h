// CSV as RFC 4180 writes it, for exports a spreadsheet opens (GET /api/v1/exports/...): fields
// separated by commas, rows ended by CRLF, a field quoted (and its quotes doubled) when it holds
// a comma, a quote, CR or LF. Text is UTF-8 as stored.
//
// Against formula injection (OWASP "CSV injection"): a field that begins with `=`, `+`, `-`, `@`,
// a tab or a carriage return would be run as a formula by Excel, LibreOffice or Google Sheets
// (a lead's name `=HYPERLINK(...)` sent by anyone through a form); such a field is written with
// a leading `'`, which spreadsheets show as text.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace leadproc::codec {

// One text field, escaped as above.
std::string csv_field(std::string_view text);

// Appends one row (fields escaped by csv_field) and its CRLF to `out`.
void append_csv_row(std::string& out, const std::vector<std::string>& fields);

}  // namespace leadproc::codec
