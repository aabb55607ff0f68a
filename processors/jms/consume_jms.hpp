// ConsumeJMS: receives JMS messages from a queue or a (durable) topic subscription as FlowFiles,
// acknowledging each only after the session that holds it is committed.
#pragma once

#include "sluice/processor.hpp"

namespace sluice::jms {

const ProcessorDefinition& consume_jms_definition();

}  // namespace sluice::jms
