// What both JMS processors are configured with (the broker, the transport, credentials), as property specs
// and as the settings read back from a context.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "jms_transport.hpp"
#include "sluice/context.hpp"
#include "sluice/spec.hpp"

namespace sluice::jms {

std::vector<PropertySpec> connection_properties();
JmsSettings read_connection_settings(const ComponentContext& context);
// "stomp://host:port/queue/NAME" (amqp:// or amqps:// for AMQP 1.0): for provenance, never with credentials.
std::string transit_uri(const JmsSettings& settings, std::string_view destination);
// A STOMP destination must name a queue or a topic; an AMQP 1.0 address is the broker's business.
void check_destination(const JmsSettings& settings, std::string_view destination);

inline constexpr std::string_view kReasonAttribute = "jms.failure.reason";

}  // namespace sluice::jms
