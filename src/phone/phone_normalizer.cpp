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
  // Leading zeros that libphonenumber keeps in the national number ("Italian leading zero")
  // can give an E.164 that reads back as another number ("0002 0901948" in IN: +910020901948,
  // then +91020901948; found by fuzz/phone.cpp). Duplicates are found by the E.164 text, so a
  // number whose E.164 is not its own normal form is refused as not a possible number.
  if (number.italian_leading_zero()) {
    PhoneNumber again;
    std::string twice;
    if (util().Parse(out, region_, &again) != PhoneNumberUtil::NO_PARSING_ERROR ||
        !util().IsPossibleNumber(again))
      return std::nullopt;
    util().Format(again, PhoneNumberUtil::E164, &twice);
    if (twice != out) return std::nullopt;
  }
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
