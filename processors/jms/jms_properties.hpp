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
// "stomp://host:port/queue/NAME": for provenance, never with credentials.
std::string transit_uri(const JmsSettings& settings, std::string_view destination);
// A destination must name a queue or a topic.
void check_destination(std::string_view destination);

inline constexpr std::string_view kReasonAttribute = "jms.failure.reason";

}  // namespace sluice::jms
