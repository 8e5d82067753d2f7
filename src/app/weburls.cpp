#include "app/weburls.h"

#include <map>

#include "app/destinations.h"
#include "codec/field_reader.h"
#include "domain/url.h"

namespace leadproc {
namespace json = boost::json;

namespace {

Result<WebUrl> load(ReadTx& tx, const Id& raw_id) {
  auto id = canonical_id(raw_id);
  if (!id) return Error::not_found("no web URL with _id '" + raw_id + "'");
  auto w = tx.get_weburl(*id);
  if (!w) return w.error();
  if (!*w) return Error::not_found("no web URL with _id '" + raw_id + "'");
  return **w;
}

// The normalised URLs of the body, in order, or a 422 naming every bad entry.
Result<std::vector<std::string>> decode_urls(const json::object& body) {
  std::vector<FieldError> errors;
  codec::FieldReader r(body, errors);
  const json::array* items = r.array("urls", true);
  if (items && items->size() > kMaxUrlsPerUpsert)
    r.fail("urls", "must hold at most " + std::to_string(kMaxUrlsPerUpsert) + " URLs");
  if (!errors.empty()) return Error::validation(std::move(errors), "the URL list is invalid");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < items->size(); ++i) {
    const std::string field = "urls[" + std::to_string(i) + "]";
    const json::value& item = (*items)[i];
    std::optional<std::string> raw;
    if (item.is_string()) {
      raw = std::string(item.get_string());
    } else if (item.is_object()) {
      codec::FieldReader ir(item.get_object(), errors, field + ".");
      raw = ir.string("url", true);
      if (!raw) continue;
    } else {
      errors.push_back({field, "must be a URL string or an object with `url`"});
      continue;
    }
    auto url = normalize_url(trimmed(*raw));
    if (!url)
      errors.push_back({field, "is not an absolute http(s) URL"});
    else
      out.push_back(std::move(*url));
  }
  if (!errors.empty()) return Error::validation(std::move(errors), "the URL list is invalid");
  return out;
}

}  // namespace

Result<std::vector<WebUrl>> list_weburls(AppContext& ctx, const WebUrlFilter& filter) {
  std::vector<WebUrl> out;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    auto all = tx.list_weburls(filter);
    if (!all) return all.error();
    out = std::move(*all);
    return ok_status();
  });
  if (!s) return s.error();
  return out;
}

Result<WebUrl> get_weburl(AppContext& ctx, const Id& id) {
  WebUrl out;
  auto s = ctx.store.read([&](ReadTx& tx) -> Status {
    auto w = load(tx, id);
    if (!w) return w.error();
    out = std::move(*w);
    return ok_status();
  });
  if (!s) return s.error();
  return out;
}

Result<WebUrlUpsert> upsert_weburls(AppContext& ctx, const json::object& body) {
  auto urls = decode_urls(body);
  if (!urls) return urls.error();
  WebUrlUpsert out;
  auto s = ctx.store.write([&](WriteTx& tx) -> Status {
    WebUrlUpsert result;
    std::map<std::string, bool> seen;
    const Timestamp now = ctx.now();
    for (const auto& url : *urls) {
      if (!seen.emplace(url, true).second) {
        ++result.unchanged;
        continue;
      }
      auto found = tx.find_weburl(url);
      if (!found) return found.error();
      if (*found) {
        ++result.unchanged;
        result.urls.push_back(std::move(**found));
        continue;
      }
      WebUrl w;
      w.id = ctx.new_id();
      w.url = url;
      w.created_at = w.updated_at = now;
      if (auto ins = tx.insert_weburl(w); !ins) return ins;
      ++result.created;
      result.urls.push_back(std::move(w));
    }
    out = std::move(result);
    return ok_status();
  });
  if (!s) return s.error();
  return out;
}

Result<WebUrl> mark_weburl_destination(AppContext& ctx, const Id& id, const json::object& body) {
  WebUrl out;
  auto s = ctx.store.write([&](WriteTx& tx) -> Status {
    auto found = load(tx, id);
    if (!found) return found.error();
    WebUrl w = *found;
    auto it = body.find("destination");
    if (it == body.end())
      return Error::validation({{"destination", "is required (a name or _id; null unmarks)"}});
    if (it->value().is_null()) {
      w.consumed = false;
      w.destination.reset();
    } else {
      std::vector<FieldError> errors;
      if (!it->value().is_string() && !it->value().is_object()) {
        errors.push_back({"destination", "must be a destination name or _id, or null"});
        return Error::validation(std::move(errors), "the destination is invalid");
      }
      auto d = resolve_destination_ref(tx, it->value(), "destination", errors);
      if (!d) return d.error();
      if (!errors.empty())
        return Error::validation(std::move(errors), "the destination is invalid");
      w.consumed = true;
      w.destination = NamedRef{(*d)->id, (*d)->name};
    }
    w.updated_at = ctx.now();
    if (auto up = tx.update_weburl(w); !up) return up;
    out = std::move(w);
    return ok_status();
  });
  if (!s) return s.error();
  return out;
}

}  // namespace leadproc
