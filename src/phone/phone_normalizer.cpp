#include "phone/phone_normalizer.h"

#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

#include <set>

namespace leadproc {
namespace {
using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

const PhoneNumberUtil& util() {
  return *PhoneNumberUtil::GetInstance();
}
}  // namespace

PhoneNormalizer::PhoneNormalizer(std::string default_region) : region_(std::move(default_region)) {}

std::optional<std::string> PhoneNormalizer::to_e164(std::string_view raw) const {
  if (raw.empty() || raw.size() > 64) return std::nullopt;
  PhoneNumber number;
  if (util().Parse(std::string(raw), region_, &number) != PhoneNumberUtil::NO_PARSING_ERROR)
    return std::nullopt;
  if (!util().IsPossibleNumber(number)) return std::nullopt;
  std::string out;
  util().Format(number, PhoneNumberUtil::E164, &out);
  return out;
}

std::optional<PhoneParts> PhoneNormalizer::split(std::string_view e164) const {
  PhoneNumber number;
  if (util().Parse(std::string(e164), region_, &number) != PhoneNumberUtil::NO_PARSING_ERROR)
    return std::nullopt;
  std::string national;
  util().GetNationalSignificantNumber(number, &national);
  return PhoneParts{"+" + std::to_string(number.country_code()), national};
}

bool PhoneNormalizer::is_known_region(std::string_view region) {
  std::set<std::string> regions;
  util().GetSupportedRegions(&regions);
  return regions.count(std::string(region)) > 0;
}

}  // namespace leadproc
