// Decoding the body of a lead as POST /api/v1/leads takes it (the spec's ILead, with the
// `referral` of click-to-chat ads), shared by every route that takes a lead in that shape: POST
// /api/v1/leads and the website forms' POST /api/v1/intake/forms/{formKey}.
#pragma once

#include <boost/json/object.hpp>

#include "app/ingest_lead.h"

namespace leadproc::http {

// Decodes `body`; type errors are collected in decode_errors (semantic checks are the use
// case's), and every field a lead does not have is kept in `extra`.
LeadInput decode_lead(const boost::json::object& body);

}  // namespace leadproc::http
