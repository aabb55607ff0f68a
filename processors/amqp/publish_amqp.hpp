// PublishAMQP: publishes FlowFiles as persistent AMQP 0-9-1 messages in publisher-confirm mode; a FlowFile
// goes to success only once the broker has confirmed its message.
#pragma once

#include "sluice/processor.hpp"

namespace sluice::amqp {

const ProcessorDefinition& publish_amqp_definition();

}  // namespace sluice::amqp
