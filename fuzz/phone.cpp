// Fuzz target: phone normalisation (src/phone), libphonenumber behind PhoneNormalizer. The input
// is a raw number as a lead source sends it; it is normalised in two default regions, and every
// E.164 result must split into its country code and national number and normalise to itself.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "phone/phone_normalizer.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const leadproc::PhoneNormalizer india("IN");
  static const leadproc::PhoneNormalizer emirates("AE");
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  for (const auto* phones : {&india, &emirates}) {
    auto e164 = phones->to_e164(raw);
    if (!e164) continue;
    if (e164->empty() || (*e164)[0] != '+') std::abort();
    if (!phones->split(*e164)) std::abort();
    if (phones->to_e164(*e164) != e164) std::abort();  // normalising is idempotent
  }
  leadproc::PhoneNormalizer::is_known_region(raw);
  return 0;
}
