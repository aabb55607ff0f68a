// The error a record writer throws when a schema or a record does not fit its format (a nested field
// Parquet cannot hold yet, a value out of its column's range). The writer's output is left as it was before
// the call, so a processor can route that record (or, from open(), the whole FlowFile) to failure with the
// reason and carry on; any other exception from a writer (a full disk) rolls the session back.
#pragma once

#include <stdexcept>

namespace sluice::records {

class RecordWriteError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace sluice::records
