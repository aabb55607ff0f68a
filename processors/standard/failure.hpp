// The one way the standard processors give up on a FlowFile: to `failure`, with the reason in an attribute
// (`<processor>.failure.reason`) and in a warning, so that nothing is dropped and the cause is visible.
#pragma once

#include <string_view>

#include "sluice/sdk.hpp"

namespace sluice::standard {

inline constexpr std::string_view kFailureRelationship = "failure";

// With `penalize`, the FlowFile also waits out the processor's penalty in its next queue (for failures that
// may clear up by themselves, such as a full disk).
void route_to_failure(ProcessContext& context, ProcessSession& session, FlowFile& ff,
                      std::string_view reason_attribute, std::string_view reason, bool penalize = false);

}  // namespace sluice::standard
