// codec::serialize and codec::format_double: API JSON with doubles in plain shortest form (0.25,
// not Boost.JSON 1.81's 2.5E-1), everything else exactly as boost::json::serialize writes it.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>

#include "codec/json_codec.h"
#include "codec/json_writer.h"

namespace leadproc::codec {
namespace {
namespace json = boost::json;

TEST(FormatDouble, FractionsArePlainDecimals) {
  EXPECT_EQ(format_double(0.25), "0.25");
  EXPECT_EQ(format_double(0.1), "0.1");
  EXPECT_EQ(format_double(0.3), "0.3");
  EXPECT_EQ(format_double(12.5), "12.5");
  EXPECT_EQ(format_double(-0.25), "-0.25");
  EXPECT_EQ(format_double(123456.789), "123456.789");
  EXPECT_EQ(format_double(1.0 / 3), "0.3333333333333333");
  EXPECT_EQ(format_double(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(format_double(0.0001), "0.0001");  // to_chars' default would give "1e-04"
  EXPECT_EQ(format_double(0.000001), "0.000001");
  EXPECT_EQ(format_double(0.000001234), "0.000001234");
}

TEST(FormatDouble, WholeDoublesHaveNoFractionOrExponent) {
  EXPECT_EQ(format_double(0.0), "0");
  EXPECT_EQ(format_double(1.0), "1");
  EXPECT_EQ(format_double(-3.0), "-3");
  EXPECT_EQ(format_double(1e20), "100000000000000000000");
  EXPECT_EQ(format_double(9007199254740992.0), "9007199254740992");
  EXPECT_EQ(format_double(-0.0), "-0");  // keeps its sign (JavaScript writes 0)
}

// Outside [1e-6, 1e21) the exponent form, as JavaScript writes it: no leading zeros in the
// exponent, and a '+' on positive ones.
TEST(FormatDouble, TinyAndHugeUseAnExponent) {
  EXPECT_EQ(format_double(1e-7), "1e-7");
  EXPECT_EQ(format_double(-1e-7), "-1e-7");
  EXPECT_EQ(format_double(1.5e-7), "1.5e-7");
  EXPECT_EQ(format_double(9.99e-7), "9.99e-7");
  EXPECT_EQ(format_double(2.5e-8), "2.5e-8");
  EXPECT_EQ(format_double(5e-324), "5e-324");  // the smallest subnormal
  EXPECT_EQ(format_double(1e21), "1e+21");
  EXPECT_EQ(format_double(1.5e300), "1.5e+300");
  EXPECT_EQ(format_double(std::numeric_limits<double>::max()), "1.7976931348623157e+308");
}

TEST(FormatDouble, NonFiniteIsNull) {
  EXPECT_EQ(format_double(std::numeric_limits<double>::quiet_NaN()), "null");
  EXPECT_EQ(format_double(std::numeric_limits<double>::infinity()), "null");
  EXPECT_EQ(format_double(-std::numeric_limits<double>::infinity()), "null");
}

// Every finite double reads back as itself: random bit patterns (mostly huge or tiny, so the
// exponent form), and doubles of every binary exponent in the plain range. Read back with
// std::from_chars, which rounds correctly; Boost.JSON 1.81's parser can be 1 ulp off for long
// inputs (its `precise` number mode came in 1.83), so it only checks that the text is a number.
void ExpectRoundTrip(double d) {
  const std::string text = format_double(d);
  ASSERT_TRUE(json::parse(text).is_number()) << text;
  double read = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), read);
  ASSERT_TRUE(ec == std::errc() && end == text.data() + text.size()) << text;
  ASSERT_TRUE(read == d && std::signbit(read) == std::signbit(d)) << text << " for " << d;
}

TEST(FormatDouble, RoundTrips) {
  std::mt19937_64 rng(20240601);
  for (int i = 0; i < 100000; ++i) {
    const std::uint64_t bits = rng();
    double d;
    std::memcpy(&d, &bits, sizeof d);
    if (std::isfinite(d) && d != 0) ExpectRoundTrip(d);
  }
  std::uniform_real_distribution<double> mantissa(0.5, 1.0);
  for (int e = -25; e <= 75; ++e)
    for (int i = 0; i < 2000; ++i) ExpectRoundTrip((i % 2 ? -1 : 1) * std::ldexp(mantissa(rng), e));
  ExpectRoundTrip(-0.0);
  for (int k = 0; k <= 7; ++k)  // short decimals: n / 10^k
    for (int n = 1; n < 3000; ++n) ExpectRoundTrip(n / std::pow(10.0, k));
}

TEST(Serialize, WritesDoublesPlainInsideValues) {
  json::value v = {{"preference", 0.25}, {"scores", json::array{0.1, 12.5, 1.0, 2.5e-8}}};
  EXPECT_EQ(json::serialize(v), R"({"preference":2.5E-1,"scores":[1E-1,1.25E1,1E0,2.5E-8]})")
      << "Boost.JSON's own form changed: the workaround may no longer be needed";
  EXPECT_EQ(codec::serialize(v), R"({"preference":0.25,"scores":[0.1,12.5,1,2.5e-8]})");
  EXPECT_EQ(codec::serialize(v.as_object()), codec::serialize(v));
  EXPECT_EQ(codec::serialize(v.at("scores").as_array()), "[0.1,12.5,1,2.5e-8]");
}

TEST(Serialize, DestinationPreference) {
  Destination d;
  d.id = "65f000000000000000000001";
  d.name = "Goa";
  d.preference = 0.25;
  const std::string text = codec::serialize(to_json(d));
  EXPECT_NE(text.find(R"("preference":0.25)"), std::string::npos) << text;
  d.preference = 1.0;
  EXPECT_NE(codec::serialize(to_json(d)).find(R"("preference":1,)"), std::string::npos);
}

// Apart from doubles the text is byte for byte Boost.JSON's: escapes, unicode, integers,
// literals, empty and nested containers, key order.
TEST(Serialize, EverythingElseAsBoostJson) {
  const json::value v = json::parse(R"({
    "s": "quote \" backslash \\ slash / tab \t nl \n cr \r bs \b ff \f nul \u0000 \u001f",
    "u": "Bengalūru — 東京 😀 del \u007f",
    "plain": "no escapes at all",
    "i": -9223372036854775808, "j": 9223372036854775807, "k": 18446744073709551615,
    "z": 0, "t": true, "f": false, "n": null,
    "e": [], "o": {}, "nested": [[{"a": [1, {"b": null}]}], "x"],
    "": "empty key", "key \"quoted\"": 1
  })");
  ASSERT_EQ(v.at("k").kind(), json::kind::uint64);
  EXPECT_EQ(codec::serialize(v), json::serialize(v));

  std::string long_string(100000, 'x');
  long_string[4000] = '"';
  long_string[70000] = '\n';
  const json::value big = {{"long", long_string}, {long_string, 1}};
  EXPECT_EQ(codec::serialize(big), json::serialize(big));
  EXPECT_EQ(codec::serialize(json::value(nullptr)), "null");
  EXPECT_EQ(codec::serialize(json::value("x")), R"("x")");
}

TEST(Serialize, OutputParsesBackToTheSameValue) {
  const json::value v =
      json::parse(R"({"a":[0.25,-0.5,1e-9,3.14159,1e300,42,-7,"s",{"b":[true,false,null,0.1]}]})");
  EXPECT_EQ(json::parse(codec::serialize(v)), v);
}

}  // namespace
}  // namespace leadproc::codec
