// Meta pages and their forms as admins see them, in JSON: GET /api/v1/intake/meta/pages and its
// forms (routes_intake.cpp), and a Meta lead source's page (routes_intake_sources.cpp). A page's
// access token is never in them: a secret is not shown again once saved.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string_view>

#include "app/intake_answers.h"
#include "app/store.h"

namespace leadproc::http {

// {leadField: questionKey} of a mapping (an empty object when it cannot be read: every stored
// mapping was validated when saved).
boost::json::object mapping_json(const Result<AnswerMapping>& mapping);

// A watermark (Meta's time_created, seconds since the epoch) as an instant; null when absent.
boost::json::value watermark_json(const std::optional<std::int64_t>& seconds);

// A form with its own mapping entries and the mapping its leads get (over the page's
// `page_mapping` and the defaults).
boost::json::object form_json(const MetaForm& f, std::string_view page_mapping);

// The page's own fields.
boost::json::object page_json(const MetaPage& p);

// The page with what admins watch: its newest lead, its receipts waiting and failed, and the
// reconciler's forms (read in `tx`).
Result<boost::json::object> page_status_json(ReadTx& tx, const MetaPage& p);

}  // namespace leadproc::http
