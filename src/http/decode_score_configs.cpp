#include "http/decode_score_configs.h"

namespace leadproc::http {

ScoreConfigInput decode_score_config(const boost::json::object& body) {
  ScoreConfigInput in;
  auto& errors = in.decode_errors;
  for (std::size_t i = 0; i < kScoreWeightCount; ++i) {
    const std::string name(kScoreWeights[i].name);
    auto it = body.find(name);
    if (it == body.end() || it->value().is_null()) {
      errors.push_back({name, "is required (a number >= 0)"});
      continue;
    }
    const boost::json::value& v = it->value();
    if (v.is_double())
      in.weights[i] = v.get_double();
    else if (v.is_int64())
      in.weights[i] = static_cast<double>(v.get_int64());
    else if (v.is_uint64())
      in.weights[i] = static_cast<double>(v.get_uint64());
    else
      errors.push_back({name, "must be a number"});
  }
  if (auto it = body.find("isActive"); it != body.end()) {
    if (!it->value().is_bool())
      errors.push_back({"isActive", "must be true or false"});
    else
      in.is_active = it->value().get_bool();
  }
  for (const auto& [key, value] : body) {
    bool known = key == "isActive";
    for (const auto& w : kScoreWeights) known = known || key == w.name;
    if (!known) errors.push_back({std::string(key), "is not a field of a score configuration"});
  }
  return in;
}

}  // namespace leadproc::http
