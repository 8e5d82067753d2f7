#include "app/live_events.h"

#include <algorithm>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>

#include "app/change_facts.h"
#include "app/outbox.h"
#include "domain/enums.h"
#include "domain/time_format.h"

namespace leadproc {
namespace json = boost::json;

namespace {

// The most follow-up alerts one job run writes of each kind (a backlog after a long pause is
// announced up to this; the due list shows the rest).
constexpr int kAlertBatch = 1000;

LiveEvent make_event(std::string_view type, std::string recipient, const Opportunity& o,
                     Timestamp now, json::object fields) {
  LiveEvent e;
  e.type = std::string(type);
  e.recipient = std::move(recipient);
  e.opp_id = o.id;
  e.at = now;
  json::object data;
  data["type"] = type;
  data["opportunityId"] = o.id;
  data["at"] = format_iso8601(now);
  data["name"] = o.name;
  for (auto& [k, v] : fields) data[k] = std::move(v);
  e.data = json::serialize(data);
  return e;
}

json::object by(const std::optional<Id>& actor) {
  json::object f;
  f["by"] = actor ? json::value(*actor) : json::value(nullptr);
  return f;
}

// The outbox's events of a sales follow-up whose reminder has just passed (app/outbox.h):
// followup.overdue, and sla.breached when it is the first contact, whose reminder is the
// first-contact SLA's deadline (kFirstContactSla after CRM entry).
Status record_overdue_outbox_events(AppContext& ctx, WriteTx& tx, const FollowUp& f,
                                    const Opportunity& o, Timestamp now) {
  json::object followup{{"_id", f.id},
                        {"reminderDate", format_iso8601(*f.reminder_date)},
                        {"owner", f.owner ? json::value(*f.owner) : json::value(nullptr)}};
  if (auto s = record_outbox_event(ctx, tx, "followup.overdue", o,
                                   json::object{{"followUp", followup}}, now);
      !s)
    return s;
  if (f.sub_stage != FollowUpSubStage::kFirstContact) return ok_status();
  return record_outbox_event(ctx, tx, "sla.breached", o,
                             json::object{{"sla", "firstContact"},
                                          {"deadline", format_iso8601(*f.reminder_date)},
                                          {"followUp", std::move(followup)}},
                             now);
}

}  // namespace

std::optional<Id> live_holder(const Opportunity& o) {
  if (o.status == OpportunityStatus::kInPsv && o.assigned_psv) return o.assigned_psv->id;
  if (o.status == OpportunityStatus::kInWest && o.assigned_west) return o.assigned_west->id;
  if (o.opportunity_owner) return o.opportunity_owner;
  if (o.assigned_psv) return o.assigned_psv->id;
  if (o.assigned_west) return o.assigned_west->id;
  return std::nullopt;
}

std::vector<LiveEvent> live_events_for_change(const std::optional<Opportunity>& before,
                                              const Opportunity& after,
                                              const std::optional<Id>& actor, Timestamp now) {
  std::vector<LiveEvent> out;
  std::vector<Id> newly_assigned;
  for (const RoleChange& c : role_changes(before, after)) {
    if (c.is && c.is != actor) {
      json::object f = by(actor);
      f["role"] = c.role;
      out.push_back(make_event("assigned", *c.is, after, now, std::move(f)));
      newly_assigned.push_back(*c.is);
    }
    if (c.was && c.was != actor) {
      json::object f = by(actor);
      f["role"] = c.role;
      f["to"] = c.is ? json::value(*c.is) : json::value(nullptr);
      out.push_back(make_event("unassigned", *c.was, after, now, std::move(f)));
    }
  }

  const std::optional<Id> holder = live_holder(after);
  const bool holder_new = holder && std::find(newly_assigned.begin(), newly_assigned.end(),
                                              *holder) != newly_assigned.end();
  if (before && holder && !holder_new) {
    if (after.re_inquiries > before->re_inquiries) {
      json::object f;
      f["reInquiries"] = after.re_inquiries;
      out.push_back(make_event("reinquiry", *holder, after, now, std::move(f)));
    } else if (actor != holder &&
               (after.status != before->status || stage_of(after) != stage_of(*before))) {
      json::object f = by(actor);
      f["status"] = to_string(after.status);
      const auto stage = stage_of(after);
      f["stage"] = stage ? json::value(*stage) : json::value(nullptr);
      out.push_back(make_event("stage_changed", *holder, after, now, std::move(f)));
    }
  }
  if (after.awaiting_pool && (!before || !before->awaiting_pool)) {
    json::object f;
    f["pool"] = to_string(*after.awaiting_pool);
    out.push_back(make_event("waiting", std::string(kLiveEventAdmins), after, now, std::move(f)));
  }
  return out;
}

Status record_live_events(WriteTx& tx, const std::optional<Opportunity>& before,
                          const Opportunity& after, const std::optional<Id>& actor, Timestamp now) {
  for (const LiveEvent& e : live_events_for_change(before, after, actor, now)) {
    if (auto id = tx.insert_live_event(e); !id) return id.error();
  }
  return ok_status();
}

Result<int> record_followup_alerts(AppContext& ctx, Timestamp since, Timestamp now,
                                   std::chrono::seconds lead) {
  int written = 0;
  Status s = ctx.store.write([&](WriteTx& tx) -> Status {
    written = 0;
    // kind, window: due soon [since + lead, now + lead), overdue [since, now).
    const std::pair<std::string_view, DueWindow> windows[] = {
        {"followup_due",
         DueWindow{since + lead, now + lead, std::nullopt, kAlertBatch, std::nullopt}},
        {"followup_overdue", DueWindow{since, now, std::nullopt, kAlertBatch, std::nullopt}},
    };
    for (const auto& [type, window] : windows) {
      auto sales = tx.list_due_followups(window);
      if (!sales) return sales.error();
      for (const FollowUp& f : *sales) {
        if (!f.reminder_date) continue;
        auto opp = tx.get_opportunity(f.opp_id);
        if (!opp) return opp.error();
        if (!*opp) continue;
        if (type == "followup_overdue") {
          if (auto s = record_overdue_outbox_events(ctx, tx, f, **opp, now); !s) return s;
        }
        if (!f.owner) continue;
        json::object fields;
        fields["followUpId"] = f.id;
        fields["reminderDate"] = format_iso8601(*f.reminder_date);
        LiveEvent e = make_event(type, *f.owner, **opp, now, std::move(fields));
        if (auto id = tx.insert_live_event(e); !id) return id.error();
        ++written;
      }
      auto agents = tx.list_filtration_due(window);
      if (!agents) return agents.error();
      for (const Opportunity& o : *agents) {
        const auto holder = live_holder(o);
        if (!holder || !o.next_follow_up_date) continue;
        json::object fields;
        fields["followUpId"] = nullptr;
        fields["reminderDate"] = format_iso8601(*o.next_follow_up_date);
        LiveEvent e = make_event(type, *holder, o, now, std::move(fields));
        if (auto id = tx.insert_live_event(e); !id) return id.error();
        ++written;
      }
    }
    return ok_status();
  });
  if (!s) return s.error();
  return written;
}

std::string sse_text(const LiveEvent& e) {
  // data is a JSON object "{...}": the id goes in front of its fields.
  std::string data = "{\"id\":" + std::to_string(e.id);
  if (e.data.size() > 2)
    data += "," + e.data.substr(1);
  else
    data += "}";
  return "id: " + std::to_string(e.id) + "\nevent: " + e.type + "\ndata: " + data + "\n\n";
}

std::string sse_reset_text(std::string_view reason) {
  json::object data;
  data["type"] = "reset";
  data["reason"] = reason;
  return "event: reset\ndata: " + json::serialize(data) + "\n\n";
}

Result<Replay> replay_live_events(ReadTx& tx, const Id& user, bool admin, std::int64_t last_id,
                                  int limit) {
  Replay out;
  auto bounds = tx.live_event_bounds();
  if (!bounds) return bounds.error();
  // Ids start at 1 and only go up, the purge deleting the oldest: what follows last_id is all
  // there iff the oldest kept is at most last_id + 1.
  if (last_id > bounds->newest || (bounds->oldest > last_id + 1)) {
    out.reset = true;
    return out;
  }
  std::vector<std::string> recipients{user};
  if (admin) recipients.emplace_back(kLiveEventAdmins);
  auto events = tx.live_events_after(last_id, recipients, limit + 1);
  if (!events) return events.error();
  if (static_cast<int>(events->size()) > limit) {
    out.reset = true;
    return out;
  }
  out.events = std::move(*events);
  return out;
}

// The bus

LiveSubscription::LiveSubscription(LiveBus& bus, Id user, bool admin, std::function<void()> wake)
    : bus_(bus), user_(std::move(user)), admin_(admin), wake_(std::move(wake)) {}

LiveSubscription::~LiveSubscription() {
  bus_.unsubscribe(this);
}

std::vector<LiveEvent> LiveSubscription::take() {
  std::lock_guard lock(mu_);
  std::vector<LiveEvent> out;
  out.reserve(queue_.size());
  for (auto& e : queue_) {
    if (e.id > skip_through_) out.push_back(std::move(e));
  }
  queue_.clear();
  return out;
}

bool LiveSubscription::overflowed() const {
  std::lock_guard lock(mu_);
  return overflowed_;
}

void LiveSubscription::skip_through(std::int64_t id) {
  std::lock_guard lock(mu_);
  skip_through_ = std::max(skip_through_, id);
}

void LiveSubscription::push(const LiveEvent& e, std::size_t bound) {
  {
    std::lock_guard lock(mu_);
    if (overflowed_) return;
    if (queue_.size() >= bound) {
      overflowed_ = true;
      queue_.clear();
    } else {
      queue_.push_back(e);
    }
  }
  wake_();
}

LiveBus::Subscribed LiveBus::subscribe(const Id& user, bool admin, std::function<void()> wake) {
  std::lock_guard lock(mu_);
  if (open_ >= limits_.max_streams) return {nullptr, Refusal::kTooMany};
  auto& mine = by_user_[user];
  if (mine.size() >= limits_.max_streams_per_user) return {nullptr, Refusal::kTooManyForUser};
  std::unique_ptr<LiveSubscription> s(new LiveSubscription(*this, user, admin, std::move(wake)));
  mine.push_back(s.get());
  if (admin) admins_.push_back(s.get());
  ++open_;
  return {std::move(s), Refusal::kNone};
}

void LiveBus::unsubscribe(LiveSubscription* s) {
  std::lock_guard lock(mu_);
  const auto drop = [s](std::vector<LiveSubscription*>& v) {
    v.erase(std::remove(v.begin(), v.end(), s), v.end());
  };
  if (auto it = by_user_.find(s->user_); it != by_user_.end()) {
    drop(it->second);
    if (it->second.empty()) by_user_.erase(it);
  }
  if (s->admin_) drop(admins_);
  --open_;
}

void LiveBus::publish(const std::vector<LiveEvent>& events) {
  std::lock_guard lock(mu_);
  for (const LiveEvent& e : events) {
    if (e.recipient == kLiveEventAdmins) {
      for (LiveSubscription* s : admins_) s->push(e, limits_.queue);
      continue;
    }
    if (auto it = by_user_.find(e.recipient); it != by_user_.end()) {
      for (LiveSubscription* s : it->second) s->push(e, limits_.queue);
    }
  }
}

std::size_t LiveBus::open_streams() const {
  std::lock_guard lock(mu_);
  return open_;
}

}  // namespace leadproc
