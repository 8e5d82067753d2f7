// Phone numbers through libphonenumber (PRODUCT.md "Lead ingestion"): a number is accepted when
// libphonenumber parses it (in the default region unless it carries a +country code) as a
// *possible* number for its region, and is stored as E.164. Thread-safe; the library's
// singleton is initialised once.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "domain/model.h"

namespace leadproc {

class PhoneNormalizer {
 public:
  explicit PhoneNormalizer(std::string default_region = "IN");

  // "+919876543210" for "098765 43210" (region IN); nullopt when not a possible number.
  std::optional<std::string> to_e164(std::string_view raw) const;

  // Country calling code and national number of an E.164 string ("+91", "9876543210").
  std::optional<PhoneParts> split(std::string_view e164) const;

  const std::string& default_region() const { return region_; }

  // True iff `region` is a region code libphonenumber knows ("IN", "AE", ...).
  static bool is_known_region(std::string_view region);

 private:
  std::string region_;
};

}  // namespace leadproc
