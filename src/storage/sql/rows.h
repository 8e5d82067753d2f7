// Row readers more than one file of the shared SQL layer (or an adapter's dialect SQL) reads with.
#pragma once

#include "domain/model.h"
#include "domain/result.h"
#include "storage/sql/statement.h"

namespace leadproc::sql {

// An opportunity from the columns (version, doc): the stored document, with the version of its
// column (the document's copy is overridden).
Result<Opportunity> read_opportunity(const Row& r);

}  // namespace leadproc::sql
