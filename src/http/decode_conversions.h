// The body of PUT /api/v1/conversions/settings (docs/conversions.md "Settings") as the use case's
// ConversionSettingsChange: JSON types, null versus absent (a null platform, map or secret leaves
// it as stored; a null loginCustomerId clears it), and the settings there are (any other key is
// refused, naming it: "google.colour"). The rules (ids, names, secrets' lengths, what enabling
// needs) are app/conversions.h's.
#pragma once

#include <boost/json/object.hpp>

#include "app/conversions.h"

namespace leadproc::http {

ConversionSettingsChange decode_conversion_settings(const boost::json::object& body);

}  // namespace leadproc::http
