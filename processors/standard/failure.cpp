#include "failure.hpp"

#include <string>

namespace sluice::standard {

void route_to_failure(ProcessContext& context, ProcessSession& session, FlowFile& ff,
                      std::string_view reason_attribute, std::string_view reason, bool penalize) {
  if (context.log_enabled(LogLevel::kWarn)) {
    context.log(LogLevel::kWarn, "FlowFile " + ff.uuid() + " to failure: " + std::string(reason));
  }
  session.put_attribute(ff, reason_attribute, reason);
  if (penalize) session.penalize(ff);
  session.transfer(ff, kFailureRelationship);
}

}  // namespace sluice::standard
