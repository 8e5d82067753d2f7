// What the workflow's write endpoints share when they read a request (routes_workflow.cpp, one
// opportunity; routes_bulk.cpp, many): who acts, the If-Match precondition and the per-resource
// authorisation, strict bodies, and the decoding of a move, written once so that a bulk move
// takes exactly the body of POST /opportunities/{id}/transitions.
#pragma once

#include <boost/json/object.hpp>
#include <initializer_list>
#include <optional>
#include <string_view>
#include <vector>

#include "app/opportunity_change.h"
#include "app/transitions.h"
#include "codec/field_reader.h"
#include "http/request.h"

namespace leadproc::http {

// The calling user, recorded as the actor; nullopt for none.
std::optional<Id> actor_of(const Request& req);

// The caller may change `opp`: 404 when they may not see it, 403 when they may see it only
// (app/access.h). Without a principal (no authentication guard installed) anyone may.
Status authorize_change(const Request& req, const Opportunity& opp);

// Who acts, the If-Match precondition and the authorisation check, for a write use case. The
// returned options refer to `req`: use them within the handler.
Result<WriteOptions> write_options(const Request& req);

// Adds an error for every key of `body` not in `known`.
void refuse_unknown(const boost::json::object& body, std::initializer_list<std::string_view> known,
                    std::vector<FieldError>& errors);

// A date or timestamp field: "YYYY-MM-DD" is local midnight in the business time zone.
std::optional<Timestamp> time_field(AppContext& ctx, codec::FieldReader& r, std::string_view key);

// The body of a move (POST /opportunities/{id}/transitions): to, reasons, destination,
// nextFollowUpDate, lostReason, lostReasonDetail, remarks, asNote, bookingId, dealValue; any
// other key and every type error in decode_errors.
TransitionRequest decode_transition(AppContext& ctx, const boost::json::object& body);

}  // namespace leadproc::http
