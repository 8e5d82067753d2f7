// The body of POST /api/v1/score-configurations (docs/api-scoring-jobs.md) as the use case's
// ScoreConfigInput: the twelve weights by their names (domain/scoring.h kScoreWeights), each a
// required number, and `isActive`; any other field is refused. The weights' bounds are
// app/score_configs.h's.
#pragma once

#include <boost/json/object.hpp>

#include "app/score_configs.h"

namespace leadproc::http {

ScoreConfigInput decode_score_config(const boost::json::object& body);

}  // namespace leadproc::http
