// ConsumeAMQP: turns messages of an AMQP 0-9-1 queue into FlowFiles, acknowledging them to the broker only
// after the session that holds them is committed.
#pragma once

#include "sluice/processor.hpp"

namespace sluice::amqp {

const ProcessorDefinition& consume_amqp_definition();

}  // namespace sluice::amqp
