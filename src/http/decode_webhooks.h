// The bodies of POST /api/v1/webhooks and PATCH /api/v1/webhooks/{id} (docs/events.md
// "Subscriptions") as the use cases' WebhookInput and WebhookChange: JSON types, null versus
// absent (a null `filters` clears them; a null `rotateSecret` rotates nothing), the fields of each
// body (any other is refused, naming it) and the filters a subscription has (process,
// destination, platform: any other is refused). The rules (URL shape, event types, filter
// values, the secret's format, the grace period's range) are app/webhooks.h's.
#pragma once

#include <boost/json/object.hpp>

#include "app/webhooks.h"

namespace leadproc::http {

// POST: url and eventTypes required.
WebhookInput decode_webhook(const boost::json::object& body);
WebhookChange decode_webhook_change(const boost::json::object& body);

}  // namespace leadproc::http
