#include "app/conversions.h"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <cstdio>
#include <ctime>
#include <functional>

#include "codec/json_codec.h"
#include "domain/enums.h"
#include "domain/money.h"

namespace leadproc {
namespace json = boost::json;

namespace {

constexpr std::size_t kMaxNameLength = 100;
constexpr std::size_t kMaxSecretLength = 4096;
constexpr auto kMaxRetryDelay = std::chrono::hours(6);
constexpr auto kMaxRetryAfter = std::chrono::hours(24);
constexpr std::size_t kMaxReasonLength = 1000;

bool all_digits(std::string_view s, std::size_t min, std::size_t max) {
  return s.size() >= min && s.size() <= max &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// customers/{digits}/conversionActions/{digits}
bool is_conversion_action(std::string_view s) {
  constexpr std::string_view kCustomers = "customers/";
  constexpr std::string_view kActions = "/conversionActions/";
  if (!s.starts_with(kCustomers)) return false;
  s.remove_prefix(kCustomers.size());
  const auto mid = s.find(kActions);
  if (mid == std::string_view::npos) return false;
  return all_digits(s.substr(0, mid), 1, 20) && all_digits(s.substr(mid + kActions.size()), 1, 20);
}

std::map<std::string, std::string> map_of(const json::object* o) {
  std::map<std::string, std::string> out;
  if (!o) return out;
  for (const auto& kv : *o)
    if (kv.value().is_string()) out[std::string(kv.key())] = std::string(kv.value().get_string());
  return out;
}

std::string text_of(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

// The stored document: the settings with their secrets.
std::string settings_doc(const ConversionSettings& s) {
  json::object google{{"enabled", s.google.enabled},
                      {"customerId", s.google.customer_id},
                      {"developerToken", s.google.developer_token},
                      {"accessToken", s.google.access_token},
                      {"conversionActions", codec::string_map(s.google.conversion_actions)}};
  if (s.google.login_customer_id) google["loginCustomerId"] = *s.google.login_customer_id;
  return json::serialize(
      json::object{{"meta", json::object{{"enabled", s.meta.enabled},
                                         {"datasetId", s.meta.dataset_id},
                                         {"accessToken", s.meta.access_token},
                                         {"stageEvents", codec::string_map(s.meta.stage_events)}}},
                   {"google", std::move(google)}});
}

ConversionSettings settings_of_doc(const json::object& doc) {
  ConversionSettings s;
  if (const auto* m = doc.if_contains("meta"); m && m->is_object()) {
    const auto& o = m->get_object();
    s.meta.enabled =
        o.contains("enabled") && o.at("enabled").is_bool() && o.at("enabled").get_bool();
    s.meta.dataset_id = text_of(o, "datasetId");
    s.meta.access_token = text_of(o, "accessToken");
    const auto* events = o.if_contains("stageEvents");
    s.meta.stage_events = map_of(events && events->is_object() ? &events->get_object() : nullptr);
  }
  if (const auto* g = doc.if_contains("google"); g && g->is_object()) {
    const auto& o = g->get_object();
    s.google.enabled =
        o.contains("enabled") && o.at("enabled").is_bool() && o.at("enabled").get_bool();
    s.google.customer_id = text_of(o, "customerId");
    if (o.contains("loginCustomerId")) s.google.login_customer_id = text_of(o, "loginCustomerId");
    s.google.developer_token = text_of(o, "developerToken");
    s.google.access_token = text_of(o, "accessToken");
    const auto* actions = o.if_contains("conversionActions");
    s.google.conversion_actions =
        map_of(actions && actions->is_object() ? &actions->get_object() : nullptr);
  }
  return s;
}

// A write-only secret: replaced when given (1 to 4096 characters), kept when absent.
void apply_secret(const std::optional<std::string>& given, const std::string& field,
                  std::string& into, std::vector<FieldError>& errors) {
  if (!given) return;
  if (given->empty() || given->size() > kMaxSecretLength)
    errors.push_back({field, "must be 1 to 4096 characters"});
  else
    into = *given;
}

// A map of names, when given: replaces `into`; each key passing `key_ok`, each value passing
// `value_ok` (a value that is not a string fails it too). Errors name `field`.<key>.
void apply_names(const std::optional<NamesInput>& given, const std::string& field,
                 const std::function<bool(std::string_view)>& key_ok, const std::string& key_rule,
                 const std::function<bool(std::string_view)>& value_ok,
                 const std::string& value_rule, std::map<std::string, std::string>& into,
                 std::vector<FieldError>& errors) {
  if (!given) return;
  into.clear();
  for (const auto& [key, value] : *given) {
    const std::string name = field + "." + key;
    if (!key_ok(key)) errors.push_back({name, key_rule});
    if (!value || !value_ok(*value))
      errors.push_back({name, value_rule});
    else
      into[key] = *value;
  }
}

void apply_meta(const MetaConversionChange& in, MetaConversionSettings& m,
                std::vector<FieldError>& errors) {
  if (in.enabled) m.enabled = *in.enabled;
  if (const auto& d = in.dataset_id) {
    if (!all_digits(*d, 1, 20))
      errors.push_back({"meta.datasetId", "must be the dataset's id (digits)"});
    else
      m.dataset_id = *d;
  }
  apply_secret(in.access_token, "meta.accessToken", m.access_token, errors);
  apply_names(
      in.stage_events, "meta.stageEvents",
      [](std::string_view k) { return parse_opportunity_status(k).has_value(); },
      "is not a status (e.g. UnderProcessing, InPSV, Open, Won)",
      [](std::string_view v) { return !v.empty() && v.size() <= kMaxNameLength; },
      "must be an event name of 1 to 100 characters", m.stage_events, errors);
  if (m.enabled) {
    if (m.dataset_id.empty())
      errors.push_back({"meta.datasetId", "is required to enable Meta conversions"});
    if (m.access_token.empty())
      errors.push_back({"meta.accessToken", "is required to enable Meta conversions"});
    if (m.stage_events.empty())
      errors.push_back({"meta.stageEvents", "must name at least one stage"});
  }
}

void apply_google(const GoogleConversionChange& in, GoogleConversionSettings& g,
                  std::vector<FieldError>& errors) {
  if (in.enabled) g.enabled = *in.enabled;
  if (const auto& c = in.customer_id) {
    if (!all_digits(*c, 10, 10))
      errors.push_back(
          {"google.customerId", "must be the 10 digits of the customer id, without dashes"});
    else
      g.customer_id = *c;
  }
  if (in.login_customer_id.given) {
    g.login_customer_id.reset();
    if (const auto& c = in.login_customer_id.value) {
      if (!all_digits(*c, 10, 10))
        errors.push_back(
            {"google.loginCustomerId", "must be the 10 digits of the manager's customer id"});
      else
        g.login_customer_id = *c;
    }
  }
  apply_secret(in.developer_token, "google.developerToken", g.developer_token, errors);
  apply_secret(in.access_token, "google.accessToken", g.access_token, errors);
  apply_names(
      in.conversion_actions, "google.conversionActions",
      [](std::string_view k) { return k == "qualified" || k == "won"; },
      "is not a stage sent to Google (qualified, won)", is_conversion_action,
      "must be a conversion action's resource name (customers/{id}/conversionActions/{id})",
      g.conversion_actions, errors);
  if (g.enabled) {
    if (g.customer_id.empty())
      errors.push_back({"google.customerId", "is required to enable Google conversions"});
    if (g.developer_token.empty())
      errors.push_back({"google.developerToken", "is required to enable Google conversions"});
    if (g.access_token.empty())
      errors.push_back({"google.accessToken", "is required to enable Google conversions"});
    if (g.conversion_actions.empty())
      errors.push_back(
          {"google.conversionActions", "must name at least one stage's conversion action"});
  }
}

std::optional<std::string> clip(std::string s) {
  if (s.empty()) return std::nullopt;
  if (s.size() > kMaxReasonLength) s.resize(kMaxReasonLength);
  return s;
}

Conversion retry_later(Conversion c, const PlatformAnswer& a, std::string reason, Timestamp now) {
  auto wait = conversion_retry_delay(c.attempts);
  if (a.retry_after) wait = std::clamp(*a.retry_after, wait, std::chrono::seconds(kMaxRetryAfter));
  c.status = "pending";
  c.next_attempt_at = now + wait;
  c.reason = clip(std::move(reason));
  return c;
}

json::object parse_object_or_empty(const std::string& body) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) return {};
  return std::move(v.get_object());
}

std::string answer_text(const PlatformAnswer& a) {
  if (a.status == 0) return a.error.empty() ? "no answer" : a.error;
  return "HTTP " + std::to_string(a.status);
}

// Worth trying again later: no answer, overloaded, or not allowed now (a token being renewed).
bool may_pass(int status) {
  return status == 0 || status >= 500 || status == 429 || status == 401 || status == 403;
}

}  // namespace

Result<ConversionSettings> load_conversion_settings(ReadTx& tx) {
  auto doc = tx.get_conversion_settings();
  if (!doc) return doc.error();
  if (!*doc) return ConversionSettings{};
  boost::system::error_code ec;
  json::value v = json::parse(**doc, ec);
  if (ec || !v.is_object()) return Error::internal("conversion_settings.doc is not a JSON object");
  return settings_of_doc(v.get_object());
}

Result<ConversionSettings> read_conversion_settings(AppContext& ctx) {
  ConversionSettings out;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    auto loaded = load_conversion_settings(tx);
    if (!loaded) return loaded.error();
    out = std::move(*loaded);
    return ok_status();
  });
  if (!s) return s.error();
  return out;
}

Result<ConversionSettings> update_conversion_settings(AppContext& ctx,
                                                      const ConversionSettingsChange& in) {
  ConversionSettings out;
  Status st = ctx.store.write([&](WriteTx& tx) -> Status {
    auto current = load_conversion_settings(tx);
    if (!current) return current.error();
    ConversionSettings s = std::move(*current);
    std::vector<FieldError> errors = in.decode_errors;
    if (in.meta) apply_meta(*in.meta, s.meta, errors);
    if (in.google) apply_google(*in.google, s.google, errors);
    if (!errors.empty()) return Error::validation(std::move(errors), "invalid conversion settings");
    if (auto put = tx.put_conversion_settings(settings_doc(s), ctx.now()); !put) return put;
    out = std::move(s);
    return ok_status();
  });
  if (!st) return st.error();
  return out;
}

std::vector<Conversion> conversions_for_event(const ConversionSettings& s, const OutboxEvent& e,
                                              Timestamp now) {
  std::vector<Conversion> out;
  const bool meta_type = e.type == "lead.created" || e.type == "opportunity.stage_changed";
  const bool google_type = e.type == "opportunity.qualified" || e.type == "opportunity.won";
  if (!e.opp_id || !((s.meta.enabled && meta_type) || (s.google.enabled && google_type)))
    return out;
  boost::system::error_code ec;
  const json::value body = json::parse(e.body, ec);
  const json::value* opp_json = ec ? nullptr : body.find_pointer("/data/opportunity", ec);
  if (!opp_json || !opp_json->is_object()) return out;
  const Opportunity opp = codec::opportunity_from_json(opp_json->get_object());

  Conversion c;
  c.opp_id = *e.opp_id;
  c.event_seq = e.seq;
  c.event_id = e.id;
  c.event_at = e.at;
  c.next_attempt_at = now;
  c.created_at = c.updated_at = now;
  if (s.meta.enabled && meta_type && opp.lead_source.primary_source == "meta_lead_ads" &&
      all_digits(opp.trace_id, 1, 19)) {
    const std::string status(to_string(opp.status));
    if (auto it = s.meta.stage_events.find(status); it != s.meta.stage_events.end()) {
      Conversion m = c;
      m.platform = "meta";
      m.stage = status;
      m.name = it->second;
      m.click_id = opp.trace_id;
      out.push_back(std::move(m));
    }
  }
  const auto gclid = opp.attribution.find("gclid");
  if (s.google.enabled && google_type && gclid != opp.attribution.end() && !gclid->second.empty()) {
    const std::string stage = e.type == "opportunity.won" ? "won" : "qualified";
    if (auto it = s.google.conversion_actions.find(stage);
        it != s.google.conversion_actions.end()) {
      Conversion g = c;
      g.platform = "google";
      g.stage = stage;
      g.name = it->second;
      g.click_id = gclid->second;
      g.click_at = opp.created_at;
      if (stage == "won" && opp.deal_value) {
        g.value = format_amount(*opp.deal_value);
        g.currency = opp.deal_value->currency;
      }
      out.push_back(std::move(g));
    }
  }
  return out;
}

Status record_conversions(WriteTx& tx, const std::vector<OutboxEvent>& events, Timestamp now) {
  auto settings = load_conversion_settings(tx);
  if (!settings) return settings.error();
  if (!settings->meta.enabled && !settings->google.enabled) return ok_status();
  for (const OutboxEvent& e : events) {
    for (const Conversion& c : conversions_for_event(*settings, e, now)) {
      if (auto r = tx.insert_conversion(c); !r) return r.error();
    }
  }
  return ok_status();
}

std::optional<std::string> conversion_expiry(const Conversion& c, Timestamp now) {
  if (c.platform == "meta" && now - c.event_at > kMetaConversionWindow)
    return "the stage was reached more than 7 days ago (Meta's window)";
  if (c.platform == "google" && c.click_at && now - *c.click_at > kGoogleClickWindow)
    return "the click was more than 90 days ago (Google's window)";
  return std::nullopt;
}

std::chrono::seconds conversion_retry_delay(int attempts) {
  const int doublings = std::clamp(attempts - 1, 0, 20);
  const std::chrono::seconds wait = std::chrono::minutes(1) * (std::int64_t{1} << doublings);
  return std::min<std::chrono::seconds>(wait, kMaxRetryDelay);
}

std::string meta_events_body(const Conversion& c, const std::string& access_token) {
  // lead_id is an int64 to Meta; a leadgen_id exceeds a double's 53 bits, so it is written as
  // the exact integer (Boost.JSON keeps int64 exact), text only if it does not fit.
  json::value lead_id(c.click_id);
  std::int64_t id = 0;
  const char* end = c.click_id.data() + c.click_id.size();
  if (auto [p, err] = std::from_chars(c.click_id.data(), end, id); err == std::errc() && p == end)
    lead_id = id;
  const std::int64_t event_time =
      std::chrono::duration_cast<std::chrono::seconds>(c.event_at.time_since_epoch()).count();
  json::object event{
      {"event_name", c.name},
      {"event_time", event_time},
      {"action_source", "system_generated"},
      {"user_data", json::object{{"lead_id", std::move(lead_id)}}},
      {"custom_data", json::object{{"event_source", "crm"}, {"lead_event_source", "leadproc"}}}};
  return json::serialize(
      json::object{{"data", json::array{std::move(event)}}, {"access_token", access_token}});
}

std::string google_date_time(Timestamp t) {
  const std::time_t secs =
      std::chrono::system_clock::to_time_t(std::chrono::time_point_cast<std::chrono::seconds>(t));
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S+00:00", &tm);
  return buf;
}

std::string google_upload_body(const std::vector<Conversion>& batch) {
  json::array conversions;
  for (const Conversion& c : batch) {
    json::object row{{"gclid", c.click_id},
                     {"conversionAction", c.name},
                     {"conversionDateTime", google_date_time(c.event_at)},
                     {"orderId", c.opp_id}};
    if (c.value && c.currency) {
      row["conversionValue"] = std::strtod(c.value->c_str(), nullptr);
      row["currencyCode"] = *c.currency;
    }
    conversions.emplace_back(std::move(row));
  }
  return json::serialize(
      json::object{{"conversions", std::move(conversions)}, {"partialFailure", true}});
}

Conversion after_meta_answer(Conversion c, const PlatformAnswer& a, Timestamp now) {
  ++c.attempts;
  c.updated_at = now;
  const json::object body = parse_object_or_empty(a.body);
  if (auto trace = text_of(body, "fbtrace_id"); !trace.empty()) c.trace = trace;
  const json::object* error = nullptr;
  if (const auto* e = body.if_contains("error"); e && e->is_object()) error = &e->get_object();
  if (error) {
    if (auto trace = text_of(*error, "fbtrace_id"); !trace.empty()) c.trace = trace;
  }
  if (a.status >= 200 && a.status < 300) {
    c.status = "sent";
    c.reason.reset();
    return c;
  }
  std::string reason = answer_text(a);
  std::int64_t code = 0;
  if (error) {
    const std::string message = text_of(*error, "message");
    const std::string user_message = text_of(*error, "error_user_msg");
    if (!message.empty()) reason += ": " + message;
    if (!user_message.empty()) reason += " (" + user_message + ")";
    if (const auto* v = error->if_contains("code"); v && v->is_int64()) code = v->get_int64();
  }
  // Graph error codes that pass: 1/2 unknown or service trouble, 4/17/32/613 rate limits,
  // 190 an expired or invalid token, 341 an application limit.
  static constexpr std::int64_t kPassing[] = {1, 2, 4, 17, 32, 190, 341, 613};
  const bool passing = may_pass(a.status) || std::find(std::begin(kPassing), std::end(kPassing),
                                                       code) != std::end(kPassing);
  if (passing) return retry_later(std::move(c), a, std::move(reason), now);
  c.status = "rejected";
  c.reason = clip(std::move(reason));
  return c;
}

std::vector<Conversion> after_google_answer(std::vector<Conversion> batch, const PlatformAnswer& a,
                                            Timestamp now) {
  const json::object body = parse_object_or_empty(a.body);
  std::string reason = answer_text(a);
  if (const auto* e = body.if_contains("error"); e && e->is_object()) {
    if (auto m = text_of(e->get_object(), "message"); !m.empty()) reason += ": " + m;
  }
  for (Conversion& c : batch) {
    ++c.attempts;
    c.updated_at = now;
  }
  if (a.status < 200 || a.status >= 300) {
    for (Conversion& c : batch) {
      if (may_pass(a.status)) {
        c = retry_later(std::move(c), a, reason, now);
      } else {
        c.status = "rejected";
        c.reason = clip(reason);
      }
    }
    return batch;
  }
  // partialFailureError: {"code", "message", "details": [{"errors": [{"message", "location":
  // {"fieldPathElements": [{"fieldName": "conversions", "index": i}, ...]}}]}]}
  std::map<std::size_t, std::string> rejected;
  if (const auto* pf = body.if_contains("partialFailureError"); pf && pf->is_object()) {
    const auto* details = pf->get_object().if_contains("details");
    if (details && details->is_array()) {
      for (const auto& d : details->get_array()) {
        const auto* errors = d.is_object() ? d.get_object().if_contains("errors") : nullptr;
        if (!errors || !errors->is_array()) continue;
        for (const auto& err : errors->get_array()) {
          if (!err.is_object()) continue;
          boost::system::error_code ec;
          const auto* path = err.find_pointer("/location/fieldPathElements", ec);
          if (!path || !path->is_array()) continue;
          for (const auto& el : path->get_array()) {
            if (!el.is_object() || text_of(el.get_object(), "fieldName") != "conversions") continue;
            const auto* index = el.get_object().if_contains("index");
            if (!index || !index->is_int64() || index->get_int64() < 0) continue;
            std::string& r = rejected[static_cast<std::size_t>(index->get_int64())];
            const std::string message = text_of(err.get_object(), "message");
            r += (r.empty() ? "" : "; ") + (message.empty() ? "rejected" : message);
            break;
          }
        }
      }
    }
  }
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (auto it = rejected.find(i); it != rejected.end()) {
      batch[i].status = "rejected";
      batch[i].reason = clip(it->second);
    } else {
      batch[i].status = "sent";
      batch[i].reason.reset();
    }
  }
  return batch;
}

}  // namespace leadproc
