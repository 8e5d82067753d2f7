#include "http/decode_webhooks.h"

#include <algorithm>
#include <initializer_list>
#include <string_view>

#include "codec/field_reader.h"

namespace leadproc::http {
namespace {

void only_keys(const boost::json::object& body, std::initializer_list<std::string_view> known,
               std::vector<FieldError>& errors) {
  for (const auto& kv : body) {
    if (std::find(known.begin(), known.end(), kv.key()) == known.end())
      errors.push_back({std::string(kv.key()), "is not a field of a webhook subscription"});
  }
}

// url, eventTypes (required when `creating`) and filters.
WebhookFields decode_fields(const boost::json::object& body, bool creating,
                            std::vector<FieldError>& errors) {
  WebhookFields out;
  codec::FieldReader r(body, errors);
  out.url = r.string("url", creating);
  out.event_types = r.strings("eventTypes", creating);
  if (!body.contains("filters")) return out;
  out.filters.given = true;
  const boost::json::object* filters = r.object("filters");
  if (!filters) return out;
  codec::FieldReader f(*filters, errors, "filters.");
  for (const auto& kv : *filters) {
    if (kv.key() != "process" && kv.key() != "destination" && kv.key() != "platform")
      f.fail(kv.key(), "is not a filter (process, destination, platform)");
  }
  out.filters.value =
      WebhookFilters{f.string("process"), f.string("destination"), f.string("platform")};
  return out;
}

}  // namespace

WebhookInput decode_webhook(const boost::json::object& body) {
  WebhookInput in;
  only_keys(body, {"url", "eventTypes", "filters", "secret"}, in.decode_errors);
  in.fields = decode_fields(body, true, in.decode_errors);
  codec::FieldReader r(body, in.decode_errors);
  in.secret = r.string("secret");
  return in;
}

WebhookChange decode_webhook_change(const boost::json::object& body) {
  WebhookChange in;
  only_keys(body, {"url", "eventTypes", "filters", "enabled", "rotateSecret"}, in.decode_errors);
  in.fields = decode_fields(body, false, in.decode_errors);
  codec::FieldReader r(body, in.decode_errors);
  in.enabled = r.boolean("enabled");
  if (body.contains("rotateSecret")) {
    if (const boost::json::object* rotate = r.object("rotateSecret")) {
      codec::FieldReader g(*rotate, in.decode_errors, "rotateSecret.");
      in.rotate_secret = WebhookSecretRotation{g.integer("gracePeriodHours")};
    }
  }
  return in;
}

}  // namespace leadproc::http
