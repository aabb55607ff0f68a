// Which relationships a configured processor has: the spec's static ones whose condition holds, and, for a
// spec with dynamic_relationships, one per dynamic property. Validation, the controller (session.transfer)
// and the test kit all ask this one function, so they cannot disagree.
#pragma once

#include <string>
#include <vector>

#include "config/flow_model.hpp"
#include "sluice/spec.hpp"

namespace sluice::internal {

// True when the condition's enum property, as configured in `p` (else its spec default), is one of its
// values.
bool condition_holds(const PropertyCondition& condition, const ProcessorModel& p, const ProcessorSpec& spec);

// Static relationships in spec order, then dynamic ones in property-name order.
std::vector<std::string> relationship_names(const ProcessorModel& p, const ProcessorSpec& spec);

}  // namespace sluice::internal
