// PublishJMS: sends FlowFiles as persistent JMS messages to a queue or topic; a FlowFile goes to success
// only once the broker's receipt for its message has arrived.
#pragma once

#include "sluice/processor.hpp"

namespace sluice::jms {

const ProcessorDefinition& publish_jms_definition();

}  // namespace sluice::jms
