// Fuzz target: the JSON body of POST /api/v1/leads, as a lead source sends it (the demo API key),
// through the route's handler: codec::parse_object, the lead decoding of http/routes_leads.cpp
// (codec::FieldReader), then the ingest use case (validation, phone and URL normalisation,
// destination and process choice, round robin, the SQLite write). No sockets: the target calls
// the router directly, so it runs thousands of inputs a second; http_request.cpp drives the
// socket, Beast parser and server on top.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "app_fixture.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using leadproc::fuzz::app;
  auto& a = app();
  leadproc::http::Request req;
  req.method = "POST";
  req.path = "/api/v1/leads";
  req.headers["content-type"] = "application/json";
  req.headers["x-api-key"] = std::string(leadproc::fuzz::kDemoKey);
  req.body.assign(reinterpret_cast<const char*>(data), size);
  req.trace_id = "fuzz";
  req.remote_ip = "127.0.0.1";
  auto match = a.router.match(req.method, req.path);
  if (match.kind != leadproc::http::RouteMatch::Kind::found) std::abort();
  req.params = match.params;
  const auto response = (*match.handler)(req);
  // The contract of the route: a lead stored (201), a replay (200), or a problem the client can
  // act on (4xx). Anything else for any body is a bug (a 500 is a handler that threw).
  const int s = response.status;
  if (!(s == 200 || s == 201 || (s >= 400 && s < 500))) std::abort();
  return 0;
}
