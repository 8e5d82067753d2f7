// Serialising JSON for the API: Boost.JSON's output with one difference, the form of doubles.
//
// Boost.JSON 1.81's serializer prints every double in exponent form (0.25 -> "2.5E-1",
// 12.5 -> "1.25E1") and has no option or hook to change it, and no raw-number value to carry a
// pre-formatted number. So this writer walks the value itself: strings (and keys) are still
// escaped by Boost.JSON's serializer, integers, booleans and null are written as Boost.JSON
// writes them, and doubles go through format_double below. Every place that renders API JSON
// (http/responses.cpp, http/router.cpp, the ingest answer, ...) uses serialize() from here.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>

namespace leadproc::codec {

// A double as a JSON number, as JavaScript's JSON.stringify writes it:
//  - the shortest decimal that reads back as the same double (std::to_chars);
//  - plain notation for 1e-6 <= |d| < 1e21: 0.25, 0.1, 12.5, 0.0001, 0.000001, 1 (a whole
//    double has no fraction and no exponent);
//  - exponent notation outside that range, with the exponent's leading zeros dropped: 1e-7,
//    2.5e-8, 1e+21, 5e-324;
//  - NaN and infinities, which JSON cannot represent, as null.
// Two differences from JavaScript, both for values the API never produces: -0 stays "-0", and a
// whole double from 2^53 up to 1e21 prints its exact value (123456789012345667584 where
// JavaScript pads the shortest digits with zeros: 123456789012345670000); both read back as the
// same double.
std::string format_double(double d);
void append_double(std::string& out, double d);

// The value as compact JSON text; the same text as boost::json::serialize except for doubles.
std::string serialize(const boost::json::value& v);
std::string serialize(const boost::json::object& o);
std::string serialize(const boost::json::array& a);

}  // namespace leadproc::codec
