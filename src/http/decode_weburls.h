// The bodies of the web URL routes (docs/api-config.md "Web URLs") as the use cases' inputs:
// POST /api/v1/weburls {"urls": [ "https://..." | {"url": "https://..."}, ... ]} (required, at
// most kMaxUrlsPerUpsert: a longer list is refused before its entries are read) and
// POST /api/v1/weburls/{id}/destination {"destination": <name, _id, {_id | name}, or null>}.
// JSON types only; the rules (URL shape, the destination existing) are app/weburls.h's.
#pragma once

#include <boost/json/object.hpp>

#include "app/weburls.h"

namespace leadproc::http {

WebUrlsInput decode_weburls(const boost::json::object& body);
WebUrlMark decode_weburl_mark(const boost::json::object& body);

}  // namespace leadproc::http
